package dev.socksbridge.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Netty 4.2 Bootstrap client: {@code nio:host:port} (the JDK channel path) or {@code epoll:host:port}
 * (Netty's native transport, a hard-coded {@code EpollSocketChannel}). Sends 1000 bytes, half-closes and
 * counts the echo. {@code epoll-refused:host:port} connects to a port nothing listens on and prints the
 * exception the connect future failed with, and its cause. {@code epoll-limit:host:port} does the same
 * connect while holding a JDK channel to the same address open (a proxy session, with the agent's
 * {@code max-sessions=1}: the epoll connect is then one the agent cannot route). A first argument {@code --wait} makes one
 * epoll connection, then waits for an agent to attach (see {@link #awaitGo}). {@code epoll-timeout:host:port:millis}
 * connects with {@code CONNECT_TIMEOUT_MILLIS=millis} to an address that never answers and prints how it
 * failed; with a fifth part {@code sibling} a second channel on the same one-thread event loop connects to a
 * live loopback server meanwhile, and the probe prints whether that finished while the first was still
 * pending ({@link #timeout}). {@code hold} prints {@code PROBE hold} and waits for a line on standard input
 * (the test's go-ahead to exit, once the agent has recorded what it must).
 */
public final class NettyProbeApp {

    private NettyProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--wait")) {
            awaitGo(Arrays.copyOfRange(args, 1, args.length));
        }
        for (String scenario : args) {
            if (scenario.equals("--wait")) {
                continue;
            }
            if (scenario.equals("hold")) {
                System.out.println("PROBE hold");
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                continue;
            }
            String[] parts = scenario.split(":");
            InetSocketAddress target = new InetSocketAddress(parts[1], Integer.parseInt(parts[2]));
            boolean epoll = parts[0].startsWith("epoll");
            if (parts[0].equals("epoll-timeout")) {
                timeout(target, Integer.parseInt(parts[3]), parts.length > 4 && parts[4].equals("sibling"));
            } else if (parts[0].equals("epoll-refused")) {
                refused("epoll-refused", target);
            } else if (parts[0].equals("epoll-limit")) {
                try (java.nio.channels.SocketChannel held = java.nio.channels.SocketChannel.open(target)) {
                    refused("epoll-limit", target); // a second connection while the first is held open
                }
            } else if (epoll && !Epoll.isAvailable()) {
                System.out.println("PROBE epoll unavailable=" + Epoll.unavailabilityCause());
                run("epoll-fallback-nio", NioIoHandler.newFactory(), NioSocketChannel.class, target);
            } else if (epoll) {
                run("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class, target);
            } else {
                run("nio", NioIoHandler.newFactory(), NioSocketChannel.class, target);
            }
        }
        System.out.println("PROBE done");
    }

    private static void run(String name, IoHandlerFactory io, Class<? extends SocketChannel> type,
            InetSocketAddress target) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        try {
            CompletableFuture<Integer> echoed = new CompletableFuture<>();
            Bootstrap bootstrap = new Bootstrap().group(group).channel(type).handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new EchoCounter(echoed));
                }
            });
            int line = nextLine();
            Channel channel = bootstrap.connect(target).sync().channel();
            channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[1000])).sync();
            ((DuplexChannel) channel).shutdownOutput().sync();
            int bytes = echoed.get(30, TimeUnit.SECONDS);
            System.out.println("PROBE " + name + " remote=" + NioProbeApp.text(channel.remoteAddress())
                    + " echoed=" + bytes + " line=" + line);
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Runs an epoll connect to the first scenario's address first (so Netty's native classes are loaded and
     * used before an agent attaches; printed as {@code before-attach}), prints {@code READY pid=N} and waits
     * for a line on standard input.
     */
    private static void awaitGo(String[] scenarios) throws Exception {
        String[] parts = scenarios[0].split(":");
        run("before-attach", EpollIoHandler.newFactory(), EpollSocketChannel.class,
                new InetSocketAddress(parts[1], Integer.parseInt(parts[2])));
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** Connects once over epoll and prints {@code PROBE name line=N error=...} ({@code none}: connected). */
    private static void refused(String name, InetSocketAddress target) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                        }
                    });
            int line = nextLine();
            ChannelFuture connect = bootstrap.connect(target).await();
            Throwable failure = connect.cause();
            System.out.println("PROBE " + name + " line=" + line + " error=" + describe(failure));
            if (connect.isSuccess()) {
                connect.channel().close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * An epoll connect with {@code CONNECT_TIMEOUT_MILLIS=millis} to a {@code target} that never answers;
     * prints {@code PROBE epoll-timeout-<millis> line=N sibling=S error=...}. With {@code sibling}, a second
     * channel on the same event loop connects to a live loopback server while the first is pending: S is
     * {@code connected-while-pending} when it connected before the first connect ended (the loop was free),
     * else what happened; without, S is {@code none}.
     */
    private static void timeout(InetSocketAddress target, int millis, boolean sibling) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (java.net.ServerSocket live = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                        }
                    });
            int line = nextLine();
            ChannelFuture pending = bootstrap.connect(target);
            String siblingSeen = "none";
            if (sibling) { // the kernel completes the handshake into the backlog: no accept needed
                ChannelFuture other = bootstrap.connect(live.getLocalSocketAddress());
                boolean ended = other.await(millis + 30_000L);
                siblingSeen = !ended ? "no-end" : !other.isSuccess() ? "failed:" + describe(other.cause())
                        : pending.isDone() ? "connected-after" : "connected-while-pending";
                if (other.isSuccess()) {
                    other.channel().close().sync();
                }
            }
            boolean ended = pending.await(millis + 30_000L);
            System.out.println("PROBE epoll-timeout-" + millis + " line=" + line + " sibling=" + siblingSeen
                    + " error=" + (ended ? describe(pending.cause()) : "no-end"));
            pending.channel().close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** {@code Type: message <- CauseType: message}, or {@code none}. */
    static String describe(Throwable failure) {
        if (failure == null) {
            return "none";
        }
        String text = failure.getClass().getName() + ": " + failure.getMessage();
        return failure.getCause() == null ? text : text + " <- " + describe(failure.getCause());
    }

    /** Counts echoed bytes until the server closes. */
    private static final class EchoCounter extends SimpleChannelInboundHandler<ByteBuf> {
        private final CompletableFuture<Integer> done;
        private int count;

        EchoCounter(CompletableFuture<Integer> done) {
            this.done = done;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            count += msg.readableBytes();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.complete(count);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    private static int nextLine() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow().getLineNumber() + 1;
    }
}
