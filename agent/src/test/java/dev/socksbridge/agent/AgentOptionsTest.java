package dev.socksbridge.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.socksbridge.agent.instrument.HookCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentOptionsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreDocumented() {
        AgentOptions o = AgentOptions.parse(null);
        assertEquals(0, o.port());
        assertFalse(o.includeLoopback());
        assertEquals(List.of(), o.allow());
        assertEquals(List.of(), o.deny());
        assertEquals(AgentOptions.Mode.MONITOR, o.mode());
        assertEquals(AgentOptions.OnError.WARN, o.onError());
        assertEquals("stderr", o.log());
        assertNull(o.events());
        assertTrue(o.summary());
        assertFalse(o.acceptExternal());
        assertNull(o.user());
        assertEquals(List.of(), o.callerExclude());
        assertEquals(List.of(), o.appPackages(), "empty: derived from the main class at start-up");
        assertEquals(0, o.stackDepth());
        assertEquals(o, AgentOptions.parse("  "));
    }

    @Test
    void faultIsRepeatableAndAConfigFilesFaultsGiveWayToTheArguments() throws IOException {
        AgentOptions o = AgentOptions.parse("fault=*.example.com:443->latency latency=200 jitter=50 direction=down,"
                + "fault=db.internal:5432->reset_peer timeout=5000");
        assertEquals(2, o.faults().size());
        assertEquals("latency", o.faults().get(0).type().label());
        assertEquals(5000, o.faults().get(1).value("timeout"));
        Path config = Files.writeString(dir.resolve("faults.conf"), "fault=*->bandwidth rate=256\nfault=*->refuse\n");
        assertEquals(2, AgentOptions.parse("config=" + config).faults().size());
        assertEquals(List.of("*->slicer average_size=10"),
                AgentOptions.parse("config=" + config + ",fault=*->slicer average_size=10").faults().stream()
                        .map(Object::toString).toList());
        assertEquals(List.of(), AgentOptions.parse(null).faults());
    }

    @Test
    void aBadFaultNamesTheOptionAndWhatWasExpected() {
        AgentOptionsException e = assertThrows(AgentOptionsException.class,
                () -> AgentOptions.parse("fault=*->latency latency=-1"));
        assertEquals("socksbridge: option fault '*->latency latency=-1': latency=-1 (expected: an integer 0-2147483647)",
                e.getMessage());
        AgentOptionsException type = assertThrows(AgentOptionsException.class,
                () -> AgentOptions.parse("fault=*->jam"));
        assertTrue(type.getMessage().startsWith("socksbridge: option fault '*->jam': unknown type 'jam' (expected one of: "
                + "latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, connect_delay, refuse)"),
                type.getMessage());
    }

    @Test
    void parsesEveryKeyWithPipeSeparatedLists() {
        AgentOptions o = AgentOptions.parse("port=1080, include-loopback=true,allow=*.example.com|10.0.0.0/8,"
                + "deny=evil.example.com:443,mode=enforce,on-error=fail,log=/tmp/a.log,events=/tmp/e.jsonl,"
                + "summary=off,accept-external=true,user=alice,password=s3cret,caller-exclude=org.postgresql.|com.zaxxer.,"
                + "app-packages=com.acme.|org.example.shop.,stack-depth=8");
        assertEquals(1080, o.port());
        assertTrue(o.includeLoopback());
        assertEquals(List.of("*.example.com", "10.0.0.0/8"), o.allow());
        assertEquals(List.of("evil.example.com:443"), o.deny());
        assertEquals(AgentOptions.Mode.ENFORCE, o.mode());
        assertEquals(AgentOptions.OnError.FAIL, o.onError());
        assertEquals("/tmp/a.log", o.log());
        assertEquals("/tmp/e.jsonl", o.events());
        assertFalse(o.summary());
        assertTrue(o.acceptExternal());
        assertEquals("alice", o.user());
        assertEquals("s3cret", o.password());
        assertEquals(List.of("org.postgresql.", "com.zaxxer."), o.callerExclude());
        assertEquals(List.of("com.acme.", "org.example.shop."), o.appPackages());
        assertEquals(8, o.stackDepth());
        assertFalse(o.toString().contains("s3cret"), "password never shown: " + o);
    }

    @Test
    void configFileHasOneOptionPerLineAndTheCommandLineWins() throws IOException {
        Path file = dir.resolve("agent.conf");
        Files.writeString(file, "# socksbridge\nmode=enforce\n\nallow=*.example.com|db.internal:5432\nport=1080\n");
        AgentOptions o = AgentOptions.parse("config=" + file + ",port=2080");
        assertEquals(AgentOptions.Mode.ENFORCE, o.mode());
        assertEquals(List.of("*.example.com", "db.internal:5432"), o.allow());
        assertEquals(2080, o.port());
    }

    @Test
    void hookCacheIsOnByDefaultOffWhenAskedOrAGivenFolder() {
        assertEquals(HookCache.defaultBase(), AgentOptions.defaults().hookCache());
        assertEquals(null, AgentOptions.parse("hook-cache=off").hookCache());
        assertEquals(dir.resolve("hooks"), AgentOptions.parse("hook-cache=" + dir.resolve("hooks")).hookCache());
        AgentOptionsException e = assertThrows(AgentOptionsException.class,
                () -> AgentOptions.parse("hook-cache=a\u0000b"));
        assertTrue(e.getMessage().startsWith("socksbridge: option hook-cache="), e.getMessage());
    }

    @Test
    void unreadableConfigFileNamesTheOption() {
        AgentOptionsException e = assertThrows(AgentOptionsException.class,
                () -> AgentOptions.parse("config=" + dir.resolve("missing.conf")));
        assertTrue(e.getMessage().startsWith("socksbridge: option config="), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "colour=red; unknown option 'colour' (expected one of: port, include-loopback,",
        "port=70000; option port=70000 (expected: 0-65535, 0 = any free port)",
        "port=abc; option port=abc (expected: 0-65535",
        "max-sessions=0; option max-sessions=0 (expected: 1-1000000)",
        "include-loopback=yes; option include-loopback=yes (expected: true or false)",
        "mode=block; option mode=block (expected: monitor or enforce)",
        "on-error=ignore; option on-error=ignore (expected: warn or fail)",
        "summary=true; option summary=true (expected: on or off)",
        "log=; option log= is empty (expected: a value)",
        "verbose; option 'verbose': expected key=value",
        "port=1,port=2; option port given twice",
        "user=alice; option password is missing (expected: user and password together)",
        "user=a,password=b; only apply to external clients (expected: accept-external=true)",
        "stack-depth=65; option stack-depth=65 (expected: 0-64,",
        "stack-depth=-1; option stack-depth=-1 (expected: 0-64,",
        "stack-depth=deep; option stack-depth=deep (expected: 0-64,",
        "hook-cache= ; option hook-cache is empty (expected: off or a folder)",
    })
    void badOptionsGiveOneLineNamingTheKeyAndWhatWasExpected(String options, String expected) {
        AgentOptionsException e = assertThrows(AgentOptionsException.class, () -> AgentOptions.parse(options));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void onErrorIsReadEvenFromAnArgumentThatDoesNotParse() {
        assertEquals(AgentOptions.OnError.FAIL, AgentOptions.onErrorOf("mode=block, on-error=fail"));
        assertEquals(AgentOptions.OnError.WARN, AgentOptions.onErrorOf("mode=block"));
        assertEquals(AgentOptions.OnError.WARN, AgentOptions.onErrorOf(null));
        assertEquals(AgentOptions.OnError.FAIL, AgentOptions.onErrorOf("port=x, on-error = FAIL"));
        assertEquals(AgentOptions.OnError.FAIL, AgentOptions.onErrorOf("bogus,on-error =fail"));
    }

    @Test
    void onErrorFailInAConfigFileHoldsForABadValueInTheSameFile() throws IOException {
        Path config = dir.resolve("agent.conf");
        Files.writeString(config, "on-error=fail\nport=x\n");
        assertEquals(AgentOptions.OnError.FAIL, AgentOptions.onErrorOf("config=" + config));
        assertEquals(AgentOptions.OnError.WARN, AgentOptions.onErrorOf("config=" + config + ",on-error=warn"));
        assertThrows(AgentOptionsException.class, () -> AgentOptions.parse("config=" + config));
    }
}
