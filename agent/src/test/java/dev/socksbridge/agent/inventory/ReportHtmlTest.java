package dev.socksbridge.agent.inventory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The report's data block: lookups joined to the connections they led to; no value can break the page. */
class ReportHtmlTest {

    private static EgressEvent connection(String host, int port, String resolved, String caller) {
        return new EgressEvent(1, 1_000, "proxy", "socks5", "connect", host, port, resolved, "ok", 10, 20, 5, "allowed",
                caller, "call", "X.java", 3, "main", null);
    }

    private static EgressEvent lookup(String host, String addresses) {
        return new EgressEvent(2, 900, "direct", "dns", "resolve", host, -1, addresses, "ok", -1, -1, 1, "allowed",
                "com.acme.Resolver", "resolve", "Resolver.java", 9, "main", null);
    }

    @Test
    void aLookupIsJoinedToConnectionsByNameAndByAddress() {
        ReportModel model = new ReportModel();
        model.add(lookup("api.example.com", "10.0.0.1|10.0.0.2"));
        model.add(connection("api.example.com", 443, "10.0.0.1:443", "com.acme.Billing"));
        model.add(connection("10.0.0.2", 8443, "10.0.0.2:8443", "com.acme.Audit"));
        model.add(connection("other.example", 80, "10.9.9.9:80", "com.acme.Audit"));
        String data = ReportHtml.data(model, "t");
        assertTrue(data.contains("\"then\":[\"10.0.0.2:8443\",\"api.example.com:443\"]"), data);
        assertTrue(data.contains("\"dest\":\"10.0.0.2:8443\"") && data.contains("\"dns\":[\"api.example.com\"]"), data);
        assertTrue(data.contains("\"dest\":\"other.example:80\",\"kind\":\"tcp\",\"conns\":1,\"failed\":0,\"denied\":0,"
                + "\"wouldDeny\":0,\"up\":10,\"down\":20,\"ms\":5,\"first\":1000,\"last\":1000,\"sites\":[\"call(X.java:3)\"],"
                + "\"reached\":[\"10.9.9.9:80\"],\"failures\":{},\"dns\":[]"), data);
    }

    @Test
    void noValueCanCloseTheScriptBlock() {
        ReportModel model = new ReportModel();
        model.add(connection("evil.example", 80, null, "</script><script>alert(1)</script><!--"));
        String data = ReportHtml.data(model, "</script>");
        assertFalse(data.contains("<"), data);
        assertTrue(data.contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"), data);
    }
}
