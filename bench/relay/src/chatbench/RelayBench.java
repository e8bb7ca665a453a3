package chatbench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Relay load generator. Pluggable transport (see {@link Transport}); built in: "xmpp" (raw-socket XMPP c2s client,
 * SASL ANONYMOUS or PLAIN, no TLS, loopback only) and "ws" (JDK WebSocket client speaking the WsRelayServer text
 * protocol "TO\nBODY" -> "FROM\nBODY"). To bench another relay, implement Transport/Conn (connect, address(),
 * send(to, body), deliver (from, body) to the Receiver) and register it in {@link #transport}.
 *
 * Modes (clients are paired i <-> i^1, every client both sends to and receives from its partner):
 *   throughput  closed loop: each client keeps at most --window messages in flight; reports delivered msgs/s and
 *               the one-way latency those messages saw (queueing included).
 *   latency     open loop at --rate msgs/s in total for --seconds; reports p50/p90/p99/max one-way latency.
 *   idle        opens --clients connections, does nothing, reports server RSS delta (--server-pid) and, for the
 *               Javalin baseline, heap-after-GC delta (--stats-url) per connection.
 * Latency = receive time - send time (System.nanoTime, same JVM). Every run starts with a warm-up phase.
 */
public final class RelayBench
{
    // ------------------------------------------------------------------ pluggable transport
    public interface Receiver
    {
        void onMessage(String from, String body);
    }

    public interface Conn
    {
        String address();

        void send(String to, String body) throws IOException;

        void close();
    }

    public interface Transport
    {
        /** connect and authenticate client #index; must return only when messages can be sent and received */
        Conn open(int index, Receiver rx, boolean withReader) throws Exception;
    }

    static Map<String, String> opt = new HashMap<>();

    static String o(String k, String def)
    {
        return opt.getOrDefault(k, def);
    }

    static int oi(String k, int def)
    {
        return Integer.parseInt(o(k, String.valueOf(def)));
    }

    static Transport transport(String name)
    {
        switch (name)
        {
        case "xmpp":
            return new XmppTransport(o("host", "127.0.0.1"), oi("port", 5222), o("domain", "localhost"), o("auth", "anonymous"),
                o("password", "benchpass"));
        case "ws":
            return new WsTransport(o("url", "ws://127.0.0.1:7070/ws"));
        case "sceau":
            return new SceauTransport(o("url", "ws://127.0.0.1:7071/v1/ws"));
        default:
            throw new IllegalArgumentException("unknown transport " + name + " (xmpp|ws|sceau)");
        }
    }

    // ------------------------------------------------------------------ XMPP (RFC 6120) minimal c2s client
    static final class XmppTransport implements Transport
    {
        final String host, domain, auth, password;
        final int port;

        XmppTransport(String host, int port, String domain, String auth, String password)
        {
            this.host = host;
            this.port = port;
            this.domain = domain;
            this.auth = auth;
            this.password = password;
        }

        public Conn open(int index, Receiver rx, boolean withReader) throws Exception
        {
            return new XmppConn(this, index, rx, withReader);
        }
    }

    static final class XmppConn implements Conn
    {
        final Socket socket = new Socket();
        final Writer out;
        final InputStream in;
        final StringBuilder buf = new StringBuilder();
        final byte[] rbuf = new byte[65536];
        final String jid;

        XmppConn(XmppTransport t, int index, Receiver rx, boolean withReader) throws Exception
        {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(t.host, t.port), 10_000);
            socket.setSoTimeout(30_000);
            out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), 16384);
            in = socket.getInputStream();
            String header = "<?xml version='1.0'?><stream:stream to='" + t.domain
                + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
            write(header);
            readUntil("</stream:features>", true);
            if (t.auth.equals("plain"))
            {
                String user = "bench" + index;
                String cred = Base64.getEncoder().encodeToString(("\0" + user + "\0" + t.password).getBytes(StandardCharsets.UTF_8));
                write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + cred + "</auth>");
            }
            else
            {
                write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='ANONYMOUS'/>");
            }
            String r = readUntilAny("success", "failure");
            if (r.equals("failure"))
            {
                throw new IOException("SASL failure: " + buf);
            }
            buf.setLength(0);
            write(header);
            readUntil("</stream:features>", true);
            write("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>b" + index
                + "</resource></bind></iq>");
            readUntil("</iq>", false);
            int a = buf.indexOf("<jid>"), b = buf.indexOf("</jid>");
            if (a < 0 || b < 0)
            {
                throw new IOException("bind failed: " + buf);
            }
            jid = buf.substring(a + 5, b);
            buf.setLength(0);
            write("<presence/>");
            socket.setSoTimeout(0);
            if (withReader)
            {
                Thread th = new Thread(() -> readLoop(rx), "xmpp-rx-" + index);
                th.setDaemon(true);
                th.start();
            }
        }

        synchronized void write(String s) throws IOException
        {
            out.write(s);
            out.flush();
        }

        void fill() throws IOException
        {
            int n = in.read(rbuf);
            if (n < 0)
            {
                throw new IOException("stream closed: " + buf);
            }
            buf.append(new String(rbuf, 0, n, StandardCharsets.UTF_8)); // stanzas here are ASCII
        }

        void readUntil(String token, boolean clear) throws IOException
        {
            while (buf.indexOf(token) < 0)
            {
                fill();
            }
            if (clear)
            {
                buf.setLength(0);
            }
        }

        String readUntilAny(String a, String b) throws IOException
        {
            while (true)
            {
                if (buf.indexOf(a) >= 0 && buf.indexOf(">", buf.indexOf(a)) >= 0)
                {
                    return a;
                }
                if (buf.indexOf(b) >= 0)
                {
                    return b;
                }
                fill();
            }
        }

        void readLoop(Receiver rx)
        {
            try
            {
                while (true)
                {
                    fill();
                    int end;
                    while ((end = buf.indexOf("</message>")) >= 0)
                    {
                        int start = buf.lastIndexOf("<message", end);
                        int f = buf.indexOf("from=", start);
                        char q = buf.charAt(f + 5);
                        String from = buf.substring(f + 6, buf.indexOf(String.valueOf(q), f + 6));
                        int b0 = buf.indexOf("<body>", start), b1 = buf.indexOf("</body>", start);
                        String body = (b0 >= 0 && b1 > b0 && b1 < end) ? buf.substring(b0 + 6, b1) : "";
                        buf.delete(0, end + 10);
                        rx.onMessage(from, body);
                    }
                    if (buf.length() > 1 << 20 && buf.indexOf("<message") < 0)
                    {
                        buf.setLength(0); // only non-message stanzas buffered
                    }
                }
            }
            catch (IOException e)
            {
                // closed
            }
        }

        public String address()
        {
            return jid;
        }

        public void send(String to, String body) throws IOException
        {
            write("<message to='" + to + "' type='chat'><body>" + body + "</body></message>");
        }

        public void close()
        {
            try
            {
                write("</stream:stream>");
                socket.close();
            }
            catch (IOException e)
            {
                // ignore
            }
        }
    }

    // ------------------------------------------------------------------ WebSocket (WsRelayServer protocol)
    static final class WsTransport implements Transport
    {
        final String url;
        final HttpClient[] clients = new HttpClient[8];
        final AtomicInteger rr = new AtomicInteger();

        WsTransport(String url)
        {
            this.url = url;
            for (int i = 0; i < clients.length; i++)
            {
                clients[i] = HttpClient.newHttpClient();
            }
        }

        public Conn open(int index, Receiver rx, boolean withReader) throws Exception
        {
            String user = "u" + index;
            StringBuilder partial = new StringBuilder();
            WebSocket.Listener l = new WebSocket.Listener()
            {
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last)
                {
                    partial.append(data);
                    if (last)
                    {
                        String m = partial.toString();
                        partial.setLength(0);
                        int nl = m.indexOf('\n');
                        rx.onMessage(m.substring(0, nl), m.substring(nl + 1));
                    }
                    ws.request(1);
                    return null;
                }
            };
            HttpClient c = clients[rr.getAndIncrement() % clients.length];
            WebSocket ws = c.newWebSocketBuilder().connectTimeout(java.time.Duration.ofSeconds(20))
                .buildAsync(URI.create(url + (url.contains("?") ? "&" : "?") + "user=" + user), l).get(30, TimeUnit.SECONDS);
            return new Conn()
            {
                public String address()
                {
                    return user;
                }

                public synchronized void send(String to, String body) throws IOException
                {
                    ws.sendText(to + "\n" + body, true).join();
                }

                public void close()
                {
                    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).exceptionally(x -> null).join();
                }
            };
        }
    }

    // ------------------------------------------------------------------ Sceau relay (binary frames, Ed25519 auth, acks)
    /**
     * A real relay client: registers an Ed25519 device key, answers the challenge, sends {@code Send} frames, and
     * acknowledges every {@code Deliver} (so the relay deletes it from the durable mailbox). The body travels as the
     * opaque payload; the relay's {@code Ok} replies are counted and otherwise ignored.
     */
    static final class SceauTransport implements Transport
    {
        static final org.sceau.chat.wire.WireCodec CODEC = org.sceau.chat.wire.WireCodec.standard();
        final String url;
        final HttpClient[] clients = new HttpClient[8];
        final AtomicInteger rr = new AtomicInteger();

        SceauTransport(String url)
        {
            this.url = url;
            for (int i = 0; i < clients.length; i++)
            {
                clients[i] = HttpClient.newHttpClient();
            }
        }

        public Conn open(int index, Receiver rx, boolean withReader) throws Exception
        {
            org.sceau.chat.wire.DeviceKey key = org.sceau.chat.wire.DeviceKey.generate();
            CompletableFuture<org.sceau.chat.wire.Frame.Challenge> challenge = new CompletableFuture<>();
            CompletableFuture<org.sceau.chat.wire.Frame> authed = new CompletableFuture<>();
            AtomicInteger req = new AtomicInteger();
            WebSocket[] self = new WebSocket[1];
            WebSocket.Listener l = new WebSocket.Listener()
            {
                java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

                public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last)
                {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    if (!last || partial.size() > 0)
                    {
                        partial.write(b, 0, b.length);
                        if (!last)
                        {
                            ws.request(1);
                            return null;
                        }
                        b = partial.toByteArray();
                        partial.reset();
                    }
                    try
                    {
                        org.sceau.chat.wire.Frame f = CODEC.decode(b);
                        if (f instanceof org.sceau.chat.wire.Frame.Deliver d)
                        {
                            rx.onMessage(d.sender().hex(), new String(d.payload(), StandardCharsets.ISO_8859_1));
                            byte[] ack = CODEC.encode(new org.sceau.chat.wire.Frame.Ack(List.of(d.messageId())));
                            synchronized (self)
                            {
                                ws.sendBinary(java.nio.ByteBuffer.wrap(ack), true).join();
                            }
                        }
                        else if (f instanceof org.sceau.chat.wire.Frame.Challenge c)
                        {
                            challenge.complete(c);
                        }
                        else if (f instanceof org.sceau.chat.wire.Frame.AuthOk || (f instanceof org.sceau.chat.wire.Frame.Error && !authed.isDone()))
                        {
                            authed.complete(f);
                        }
                        else if (f instanceof org.sceau.chat.wire.Frame.Error e)
                        {
                            System.out.println("relay error: " + e.code() + " " + e.message());
                        }
                    }
                    catch (Exception e)
                    {
                        e.printStackTrace();
                    }
                    ws.request(1);
                    return null;
                }
            };
            HttpClient c = clients[rr.getAndIncrement() % clients.length];
            WebSocket ws = c.newWebSocketBuilder().connectTimeout(java.time.Duration.ofSeconds(20))
                .buildAsync(URI.create(url), l).get(30, TimeUnit.SECONDS);
            self[0] = ws;
            org.sceau.chat.wire.Frame.Challenge ch = challenge.get(30, TimeUnit.SECONDS);
            synchronized (self)
            {
                ws.sendBinary(java.nio.ByteBuffer.wrap(CODEC.encode(org.sceau.chat.wire.DeviceAuth.answer(ch, key, true))), true).join();
            }
            org.sceau.chat.wire.Frame r = authed.get(30, TimeUnit.SECONDS);
            if (!(r instanceof org.sceau.chat.wire.Frame.AuthOk))
            {
                throw new IOException("authentication refused: " + r);
            }
            String me = key.deviceId().hex();
            return new Conn()
            {
                public String address()
                {
                    return me;
                }

                public void send(String to, String body) throws IOException
                {
                    byte[] f = CODEC.encode(new org.sceau.chat.wire.Frame.Send(req.incrementAndGet(),
                        List.of(org.sceau.chat.wire.DeviceId.ofHex(to)), body.getBytes(StandardCharsets.ISO_8859_1)));
                    synchronized (self)
                    {
                        ws.sendBinary(java.nio.ByteBuffer.wrap(f), true).join();
                    }
                }

                public void close()
                {
                    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).exceptionally(x -> null).join();
                }
            };
        }
    }

    /** Heap in use after a full GC of a local JVM, in kB (jcmd GC.run, then GC.heap_info). */
    static long jvmHeapAfterGcKb(String pid) throws Exception
    {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        for (int i = 0; i < 2; i++)
        {
            new ProcessBuilder(jcmd, pid, "GC.run").redirectErrorStream(true).start().getInputStream().readAllBytes();
            Thread.sleep(300);
        }
        String info = new String(new ProcessBuilder(jcmd, pid, "GC.heap_info").redirectErrorStream(true).start()
            .getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    // ------------------------------------------------------------------ measurement
    static final class Lat
    {
        final long[] v;
        final AtomicInteger n = new AtomicInteger();

        Lat(int cap)
        {
            v = new long[cap];
        }

        void add(long ns)
        {
            int i = n.getAndIncrement();
            if (i < v.length)
            {
                v[i] = ns;
            }
        }

        String summary()
        {
            int c = Math.min(n.get(), v.length);
            if (c == 0)
            {
                return "no samples";
            }
            long[] s = Arrays.copyOf(v, c);
            Arrays.sort(s);
            return String.format("p50 %.3f ms  p90 %.3f  p99 %.3f  max %.3f  (n=%d)", s[c / 2] / 1e6, s[(int)(c * .9)] / 1e6,
                s[Math.min(c - 1, (int)(c * .99))] / 1e6, s[c - 1] / 1e6, c);
        }
    }

    static volatile Lat lat;
    static final AtomicLong delivered = new AtomicLong();

    static String pad(int n)
    {
        char[] c = new char[Math.max(0, n)];
        Arrays.fill(c, 'x');
        return new String(c);
    }

    static long rssKb(String pid) throws IOException
    {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** utime+stime of a local process in seconds (Linux /proc, USER_HZ=100) */
    static double cpuSeconds(String pid)
    {
        try
        {
            String st = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        }
        catch (Exception e)
        {
            return Double.NaN;
        }
    }

    static String serverCpu(double cpu0, long msgs, double secs)
    {
        String pid = o("server-pid", null);
        if (pid == null)
        {
            return "";
        }
        double used = cpuSeconds(pid) - cpu0;
        return String.format("  server CPU %.2f s = %.1f us/msg (%.0f%% of one core)", used, used * 1e6 / Math.max(1, msgs), 100 * used / secs);
    }

    static String httpGet(String url) throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    public static void main(String[] args) throws Exception
    {
        for (String a : args)
        {
            if (a.startsWith("--") && a.contains("="))
            {
                opt.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        String tname = o("transport", "ws");
        String mode = o("mode", "throughput");
        int clients = oi("clients", 2);
        int size = oi("size", 100);
        Transport t = transport(tname);
        System.out.printf("transport=%s mode=%s clients=%d size=%dB opts=%s%n", tname, mode, clients, size, opt);

        if (mode.equals("idle"))
        {
            idle(t, clients);
            return;
        }
        if (clients % 2 != 0)
        {
            throw new IllegalArgumentException("--clients must be even (pairs)");
        }
        int window = oi("window", 32);
        boolean echo = Boolean.parseBoolean(o("echo", "false")); // every client sends to itself through the relay
        if (echo)
        {
            System.out.println("echo mode: each client is its own recipient");
        }
        Semaphore[] credit = new Semaphore[clients];
        Conn[] conns = new Conn[clients];
        long t0 = System.nanoTime();
        for (int i = 0; i < clients; i++)
        {
            credit[i] = new Semaphore(window);
            final int me = i;
            conns[i] = t.open(i, (from, body) -> {
                int c1 = body.indexOf(':'), c2 = body.indexOf(':', c1 + 1);
                long sent = Long.parseLong(body.substring(c1 + 1, c2));
                lat.add(System.nanoTime() - sent);
                delivered.incrementAndGet();
                credit[echo ? me : me ^ 1].release(); // the sender may send one more
            }, true);
        }
        System.out.printf("connected+authenticated %d clients in %.2f s%n", clients, (System.nanoTime() - t0) / 1e9);
        String padding = pad(size - 22);

        if (mode.equals("throughput"))
        {
            int msgs = oi("msgs", 100000);
            for (int phase = 0; phase < 2; phase++)
            {
                int total = phase == 0 ? Math.max(clients * 10, msgs / 5) : msgs;
                int perClient = total / clients;
                lat = new Lat(perClient * clients);
                delivered.set(0);
                CountDownLatch done = new CountDownLatch(clients);
                double cpu0 = o("server-pid", null) == null ? 0 : cpuSeconds(o("server-pid", null));
                long start = System.nanoTime();
                for (int i = 0; i < clients; i++)
                {
                    final int me = i;
                    Thread th = new Thread(() -> {
                        try
                        {
                            String to = conns[echo ? me : me ^ 1].address();
                            for (int k = 0; k < perClient; k++)
                            {
                                credit[me].acquire();
                                conns[me].send(to, k + ":" + System.nanoTime() + ":" + padding);
                            }
                        }
                        catch (Exception e)
                        {
                            e.printStackTrace();
                        }
                        finally
                        {
                            done.countDown();
                        }
                    }, "tx-" + i);
                    th.start();
                }
                done.await();
                long expected = (long)perClient * clients;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(oi("drain-seconds", 30));
                while (delivered.get() < expected && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("%s: %d/%d delivered in %.2f s = %.0f msgs/s (window %d/client)  latency %s%s%n",
                    phase == 0 ? "warm-up " : "MEASURED", delivered.get(), expected, secs, delivered.get() / secs, window, lat.summary(),
                    serverCpu(cpu0, delivered.get(), secs));
                for (Semaphore s : credit)
                {
                    s.drainPermits();
                    s.release(window);
                }
            }
        }
        else if (mode.equals("latency"))
        {
            int rate = oi("rate", 1000);
            int seconds = oi("seconds", 10);
            for (int phase = 0; phase < 2; phase++)
            {
                int secs = phase == 0 ? Math.max(2, seconds / 3) : seconds;
                long perClientPeriod = (long)(1e9 * clients / rate);
                int perClient = (int)Math.max(1, (long)secs * rate / clients);
                lat = new Lat(perClient * clients + 16);
                delivered.set(0);
                CountDownLatch done = new CountDownLatch(clients);
                double cpu0 = o("server-pid", null) == null ? 0 : cpuSeconds(o("server-pid", null));
                long start = System.nanoTime();
                for (int i = 0; i < clients; i++)
                {
                    final int me = i;
                    final long offset = perClientPeriod * i / clients;
                    Thread th = new Thread(() -> {
                        try
                        {
                            String to = conns[echo ? me : me ^ 1].address();
                            long next = start + offset;
                            for (int k = 0; k < perClient; k++)
                            {
                                long w = next - System.nanoTime();
                                if (w > 0)
                                {
                                    LockSupport.parkNanos(w);
                                }
                                conns[me].send(to, k + ":" + System.nanoTime() + ":" + padding);
                                next += perClientPeriod;
                            }
                        }
                        catch (Exception e)
                        {
                            e.printStackTrace();
                        }
                        finally
                        {
                            done.countDown();
                        }
                    }, "tx-" + i);
                    th.start();
                }
                done.await();
                long expected = (long)perClient * clients;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(oi("drain-seconds", 30));
                while (delivered.get() < expected && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                double el = (System.nanoTime() - start) / 1e9;
                System.out.printf("%s: offered %d msgs/s, %d/%d delivered in %.2f s  latency %s%s%n",
                    phase == 0 ? "warm-up " : "MEASURED", rate, delivered.get(), expected, el, lat.summary(), serverCpu(cpu0, delivered.get(), el));
            }
        }
        for (Conn c : conns)
        {
            c.close();
        }
        System.exit(0);
    }

    static void idle(Transport t, int n) throws Exception
    {
        String pid = o("server-pid", null);
        String stats = o("stats-url", null);
        String s0 = stats != null ? httpGet(stats) : null; // forces a GC on the Javalin baseline first
        boolean jvmHeap = Boolean.parseBoolean(o("jvm-heap", "false"));
        long heap0 = jvmHeap ? jvmHeapAfterGcKb(pid) : -1;
        long rss0 = pid != null ? rssKb(pid) : -1;
        List<Conn> conns = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(oi("connect-threads", 32));
        List<CompletableFuture<Conn>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++)
        {
            final int idx = i;
            fs.add(CompletableFuture.supplyAsync(() -> {
                try
                {
                    return t.open(idx, (f, b) -> { }, false);
                }
                catch (Exception e)
                {
                    throw new RuntimeException(e);
                }
            }, pool));
        }
        int failed = 0;
        for (CompletableFuture<Conn> f : fs)
        {
            try
            {
                conns.add(f.get(120, TimeUnit.SECONDS));
            }
            catch (Exception e)
            {
                if (failed++ < 3)
                {
                    System.out.println("connect failed: " + e);
                }
            }
        }
        System.out.printf("opened %d idle connections (%d failed) in %.1f s%n", conns.size(), failed, (System.nanoTime() - t0) / 1e9);
        Thread.sleep(TimeUnit.SECONDS.toMillis(oi("settle-seconds", 5)));
        if (pid != null)
        {
            long rss1 = rssKb(pid);
            System.out.printf("server RSS %d kB -> %d kB: %.1f kB per idle connection%n", rss0, rss1, (rss1 - rss0) / (double)conns.size());
        }
        if (jvmHeap)
        {
            long heap1 = jvmHeapAfterGcKb(pid);
            System.out.printf("server heap after GC %d kB -> %d kB: +%.1f kB per idle connection%n", heap0, heap1, (heap1 - heap0) / (double)conns.size());
        }
        if (stats != null)
        {
            String s1 = httpGet(stats);
            System.out.println("stats before: " + s0);
            System.out.println("stats after : " + s1);
            long h0 = Long.parseLong(s0.replaceAll(".*\"heapUsedAfterGc\":(\\d+).*", "$1"));
            long h1 = Long.parseLong(s1.replaceAll(".*\"heapUsedAfterGc\":(\\d+).*", "$1"));
            System.out.printf("server heap after GC: +%.1f kB per idle connection%n", (h1 - h0) / 1024.0 / conns.size());
        }
        for (Conn c : conns)
        {
            c.close();
        }
        pool.shutdownNow();
        System.exit(0);
    }
}
