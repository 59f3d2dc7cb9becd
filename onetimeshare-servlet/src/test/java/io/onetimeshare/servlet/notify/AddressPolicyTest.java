package io.onetimeshare.servlet.notify;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.onetimeshare.InvalidArgumentException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 22, "no server-side request forgery": one case per refused address class, IPv4 and IPv6. */
class AddressPolicyTest {
  private static final AddressPolicy STRICT = AddressPolicy.STRICT;

  private static String refusal(String url) {
    return assertThrows(InvalidArgumentException.class, () -> STRICT.checkUrl(url)).getMessage();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1|a loopback address", "127.255.0.9|a loopback address", "[::1]|a loopback address",
      "10.1.2.3|a private address", "172.16.0.1|a private address", "172.31.255.255|a private address",
      "192.168.1.1|a private address", "[fc00::1]|a unique-local", "[fd00:ec2::254]|a unique-local",
      "169.254.169.254|a link-local address (cloud metadata", "[fe80::1]|a link-local address",
      "[::ffff:169.254.169.254]|a link-local address", "[64:ff9b::a9fe:a9fe]|a link-local address",
      "[64:ff9b::7f00:1]|a loopback address, carried in an IPv6 address (NAT64)", "[64:ff9b:1::a00:1]|a local-use NAT64 address",
      // 169.254.169.254 in the /48 layout (RFC 6052: bytes 6-7 and 9-10), which a /96 reading saw as 8.8.8.8
      "[64:ff9b:1:a9fe:0:a9fe:808:808]|a local-use NAT64 address",
      "[2002:a9fe:a9fe::1]|(cloud metadata lives here), carried in an IPv6 address (6to4)", "[::7f00:1]|a loopback address, carried in an IPv6 address (IPv4-compatible)",
      "[::ffff:0:7f00:1]|a loopback address, carried in an IPv6 address (IPv4-translated)", "[2001:0:4136:e378::1]|a Teredo",
      "224.0.0.1|a multicast address", "239.255.255.250|a multicast address", "[ff02::1]|a multicast address",
      "0.0.0.0|an unspecified", "[::]|an unspecified address", "240.0.0.1|a reserved address",
      "255.255.255.255|the broadcast address", "100.64.0.1|a shared (carrier-grade NAT)",
      "192.0.2.10|a reserved (documentation)", "198.18.0.1|a reserved (benchmarking)",
      "[2001:db8::1]|a reserved (documentation)", "[fec0::1]|a site-local"})
  void refusesEveryNonPublicClass(String host, String why) {
    String m = refusal("https://" + host + "/hook");
    assertTrue(m.contains(why), m);
    assertTrue(m.startsWith("The notification URL points to "), m);
  }

  @Test
  void publicAddressesPass() {
    assertDoesNotThrow(() -> STRICT.checkUrl("https://93.184.215.14/hook"));
    assertDoesNotThrow(() -> STRICT.checkUrl("https://[2606:4700:4700::1111]/hook?x=1"));
  }

  @Test
  void httpOnlyWhenAllowedAndPortsOnlyWhenAllowed() {
    assertTrue(refusal("http://93.184.215.14/hook").contains("https://"));
    assertTrue(refusal("https://93.184.215.14:8443/hook").contains("port 8443"));
    assertTrue(refusal("ftp://93.184.215.14/x").contains("https://"));
    assertTrue(refusal("https://user:pw@93.184.215.14/x").contains("user name"));
    AddressPolicy internal = AddressPolicy.builder().allowHttp(true).allowPort(8443).build();
    assertDoesNotThrow(() -> internal.checkUrl("http://93.184.215.14/hook"));
    assertDoesNotThrow(() -> internal.checkUrl("https://93.184.215.14:8443/hook"));
  }

  @Test
  void aNamedRangeIsAllowedAndNothingElse() {
    AddressPolicy p = AddressPolicy.builder().allowRange("10.1.2.0/24").build();
    assertDoesNotThrow(() -> p.checkUrl("https://10.1.2.7/hook"));
    assertThrows(InvalidArgumentException.class, () -> p.checkUrl("https://10.1.3.7/hook"));
    assertThrows(InvalidArgumentException.class, () -> p.checkUrl("https://127.0.0.1/hook"));
    assertThrows(InvalidArgumentException.class, () -> AddressPolicy.builder().allowRange("intranet.example/8"));
  }

  @Test
  void everyAddressANameResolvesToIsChecked() {
    AddressPolicy p = AddressPolicy.builder().resolver(h -> new InetAddress[] {
        InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.5")}).build();
    String m = assertThrows(InvalidArgumentException.class, () -> p.checkUrl("https://hooks.example/x")).getMessage();
    assertTrue(m.contains("a private address"), m);
  }

  @Test
  void aNameIsResolvedOncePerCheckAndANewAnswerIsCheckedAgain() {
    AtomicInteger lookups = new AtomicInteger();
    AddressPolicy p = AddressPolicy.builder().resolver(h -> new InetAddress[] {InetAddress.getByName(
        lookups.incrementAndGet() == 1 ? "93.184.215.14" : "169.254.169.254")}).build();
    AddressPolicy.Checked first = p.check("https://rebind.example/x");
    assertEquals(1, lookups.get());
    assertEquals("93.184.215.14", first.addresses().get(0).getHostAddress(), "the connection goes to this address");
    String m = assertThrows(InvalidArgumentException.class, () -> p.check("https://rebind.example/x")).getMessage();
    assertTrue(m.contains("link-local"), m);
    assertEquals(2, lookups.get());
  }

  @Test
  void unresolvableNamesAreRefusedClearly() {
    AddressPolicy p = AddressPolicy.builder().resolver(h -> {
      throw new java.net.UnknownHostException(h);
    }).build();
    assertTrue(assertThrows(InvalidArgumentException.class, () -> p.checkUrl("https://nowhere.invalid/x"))
        .getMessage().contains("does not resolve"));
  }

  /**
   * Issue 36, finding 3: a sender's callback is checked at create without any DNS lookup (no query for anyone who asks,
   * over budget or not), and every address this server does not call gets one and the same refusal, so the answers
   * map no internal names; names are judged when each notification is sent.
   */
  @Test
  void aCallbackIsCheckedAtCreateWithoutDnsAndWithOneRefusalForEveryAddress() {
    AtomicInteger lookups = new AtomicInteger();
    AddressPolicy p = AddressPolicy.builder().resolver(h -> {
      lookups.incrementAndGet();
      throw new java.net.UnknownHostException(h);
    }).build();
    assertDoesNotThrow(() -> p.checkCallback("https://probe-overbudget.invalid/hook"));
    assertDoesNotThrow(() -> p.checkCallback("https://hooks.example.com/x"));
    assertDoesNotThrow(() -> p.checkCallback("https://93.184.216.34/x"));
    assertEquals(0, lookups.get(), "no lookup at create");
    for (String url : new String[] {"https://127.0.0.1/x", "https://10.0.0.1/x", "https://169.254.169.254/x",
        "https://[fd00::1]/x", "https://[::1]/x", "https://localhost/x", "https://a.localhost/x",
        "https://[64:ff9b:1:a9fe:0:a9fe:808:808]/x"}) {
      assertEquals(AddressPolicy.NOT_CALLED, assertThrows(InvalidArgumentException.class,
          () -> p.checkCallback(url)).getMessage(), url);
    }
  }
}
