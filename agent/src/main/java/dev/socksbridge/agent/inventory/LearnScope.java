package dev.socksbridge.agent.inventory;

/** What a learned rule names ({@code learn-scope=}): the destination only, or the calling class and the destination. */
public enum LearnScope { DESTINATION, CALLER }
