package dev.socksbridge.agent.it;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;

/**
 * An HTTP/2-only server over TLS on 127.0.0.1 (Netty, in the test JVM): ALPN offers just {@code h2}, so a
 * client that got a response spoke HTTP/2. Every request is answered with {@link Fixtures#HTTP_BODY}
 * bytes. The certificate is made by the JDK's {@code keytool} for this run; {@link #trustStore()} is what a
 * client must trust.
 */
final class Http2TlsServer implements AutoCloseable {

    static final String PASSWORD = "changeit";

    private final EventLoopGroup group;
    private final Channel channel;
    private final Path trustStore;
    private final AtomicInteger refusals;

    private Http2TlsServer(EventLoopGroup group, Channel channel, Path trustStore, AtomicInteger refusals) {
        this.group = group;
        this.channel = channel;
        this.trustStore = trustStore;
        this.refusals = refusals;
    }

    /** Makes a key pair for 127.0.0.1 in {@code dir} and listens on an ephemeral loopback port. */
    static Http2TlsServer start(Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Path certificate = dir.resolve("server.cer");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        SslContext tls = serverContext(keyStore);
        AtomicInteger refusals = new AtomicInteger();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel client) {
                            client.pipeline().addLast(tls.newHandler(client.alloc()), new Http2Only(refusals));
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            return new Http2TlsServer(group, channel, trustStore, refusals);
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** How many requests {@code /refuse...} were refused (see {@link Responder}). */
    int refusals() {
        return refusals.get();
    }

    /** A PKCS12 store (password {@link #PASSWORD}) holding only this server's certificate. */
    Path trustStore() {
        return trustStore;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static SslContext serverContext(Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD.toCharArray());
        return SslContextBuilder.forServer(managers).sslProvider(SslProvider.JDK)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool " + command + " failed: " + new String(output));
        }
    }

    /** After the TLS handshake: HTTP/2 frames if ALPN chose h2, otherwise the connection is closed. */
    private static final class Http2Only extends ApplicationProtocolNegotiationHandler {

        private final AtomicInteger refusals;

        Http2Only(AtomicInteger refusals) {
            super("none");
            this.refusals = refusals;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Responder(refusals));
            } else {
                ctx.close();
            }
        }
    }

    /**
     * Answers each request (its HEADERS frame that ends the stream, as a GET's does) with the body. Two paths
     * end the connection instead: {@code /goaway...} is answered, but a GOAWAY (the server takes no new
     * stream) goes before the body's last frame and the connection is closed after it; {@code /refuse...} on
     * any stream but a connection's first is not answered: a GOAWAY naming the stream before it as the last
     * one processed (so the client may retry it elsewhere), then the connection is closed.
     */
    private static final class Responder extends ChannelInboundHandlerAdapter {

        private static final byte[] BODY = "x".repeat(Fixtures.HTTP_BODY).getBytes(StandardCharsets.US_ASCII);

        private final AtomicInteger refusals;

        Responder(AtomicInteger refusals) {
            this.refusals = refusals;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                if (message instanceof Http2HeadersFrame request && request.isEndStream()) {
                    String path = String.valueOf(request.headers().path());
                    int id = request.stream().id();
                    if (path.startsWith("/refuse") && id > 1) {
                        refusals.incrementAndGet();
                        ctx.writeAndFlush(goAway(id - 2)).addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"))
                            .stream(request.stream()));
                    boolean last = path.startsWith("/goaway");
                    if (last) {
                        ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
                    }
                    ChannelFuture sent = ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(BODY), true)
                            .stream(request.stream()));
                    if (last) {
                        sent.addListener(ChannelFutureListener.CLOSE);
                    }
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        /**
         * A raw GOAWAY frame (RFC 9113 6.8, NO_ERROR) naming {@code lastStreamId}: Netty's frame codec always
         * names the last stream the client opened, and passes bytes through unchanged.
         */
        private static ByteBuf goAway(int lastStreamId) {
            ByteBuf frame = Unpooled.buffer(17);
            frame.writeMedium(8).writeByte(0x7).writeByte(0).writeInt(0);
            frame.writeInt(lastStreamId).writeInt(0);
            return frame;
        }
    }
}
