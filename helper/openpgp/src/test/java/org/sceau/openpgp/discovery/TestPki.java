package org.sceau.openpgp.discovery;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and a server certificate for some DNS names, made with Bouncy Castle. */
public final class TestPki {
  public final X509Certificate ca;
  public final SSLContext server;
  public final SSLContext clientTrustingCa;

  public TestPki(String... dnsNames) throws Exception {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
    kpg.initialize(256);
    KeyPair caKeys = kpg.generateKeyPair();
    Date from = new Date(System.currentTimeMillis() - 3_600_000L);
    Date to = new Date(System.currentTimeMillis() + 86_400_000L);
    X500Name caName = new X500Name("CN=Sceau Test CA");
    JcaX509v3CertificateBuilder cb =
        new JcaX509v3CertificateBuilder(
            caName, BigInteger.ONE, from, to, caName, caKeys.getPublic());
    cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    cb.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    ca =
        new JcaX509CertificateConverter()
            .getCertificate(
                cb.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));

    KeyPair leafKeys = kpg.generateKeyPair();
    JcaX509v3CertificateBuilder lb =
        new JcaX509v3CertificateBuilder(
            ca, BigInteger.TWO, from, to, new X500Name("CN=" + dnsNames[0]), leafKeys.getPublic());
    GeneralName[] names = new GeneralName[dnsNames.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
    }
    lb.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    lb.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509Certificate leaf =
        new JcaX509CertificateConverter()
            .getCertificate(
                lb.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));

    char[] pw = "test".toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", leafKeys.getPrivate(), pw, new X509Certificate[] {leaf, ca});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);

    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    clientTrustingCa = SSLContext.getInstance("TLS");
    clientTrustingCa.init(null, tmf.getTrustManagers(), null);
  }
}
