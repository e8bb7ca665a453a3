import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.sceau.openpgp.DecryptionResult;
import org.sceau.openpgp.Encoding;
import org.sceau.openpgp.Keys;
import org.sceau.openpgp.MessageDecryptor;
import org.sceau.openpgp.MessageEncryptor;
import org.sceau.openpgp.Passphrase;
import org.sceau.openpgp.SecretKey;
import org.sceau.openpgp.SignatureStatus;

/**
 * Warm, in-process timings of Sceau's engine (what the resident helper does): encrypt+sign and
 * decrypt+verify of one input with one key, median of RUNS after WARMUP runs.
 * usage: java -cp classes:lib/* InProcessBench.java KEYFILE INPUT WARMUP RUNS
 * -Dsceau.openpgp.jdkCipher=false runs BC's own AES instead of the JDK's.
 */
public class InProcessBench {
  public static void main(String[] a) throws Exception {
    SecretKey key = Keys.readSecretKey(Files.readAllBytes(Path.of(a[0])));
    byte[] in = Files.readAllBytes(Path.of(a[1]));
    int warm = Integer.parseInt(a[2]);
    int runs = Integer.parseInt(a[3]);
    MessageEncryptor enc =
        MessageEncryptor.builder()
            .to(key.certificate())
            .signWith(key, Passphrase.none())
            .encoding(Encoding.BINARY)
            .build();
    MessageDecryptor dec =
        MessageDecryptor.builder()
            .withKey(key, Passphrase.none())
            .verifyWith(key.certificate())
            .build();
    ByteArrayOutputStream ctOut = new ByteArrayOutputStream(in.length + 4096);
    enc.encrypt(new ByteArrayInputStream(in), ctOut);
    byte[] ct = ctOut.toByteArray();
    ByteArrayOutputStream check = new ByteArrayOutputStream(in.length);
    DecryptionResult r = dec.decrypt(new ByteArrayInputStream(ct), check);
    if (!Arrays.equals(in, check.toByteArray()) || r.signatureStatus() != SignatureStatus.GOOD) {
      throw new IllegalStateException("round trip failed: " + r);
    }
    long[] e = new long[runs];
    long[] d = new long[runs];
    OutputStream sink = OutputStream.nullOutputStream();
    for (int i = 0; i < warm + runs; i++) {
      long t0 = System.nanoTime();
      enc.encrypt(new ByteArrayInputStream(in), sink);
      long t1 = System.nanoTime();
      dec.decrypt(new ByteArrayInputStream(ct), sink);
      long t2 = System.nanoTime();
      if (i >= warm) {
        e[i - warm] = t1 - t0;
        d[i - warm] = t2 - t1;
      }
    }
    Arrays.sort(e);
    Arrays.sort(d);
    double mb = in.length / 1e6;
    double em = e[runs / 2] / 1e9;
    double dm = d[runs / 2] / 1e9;
    System.out.printf(
        "encrypt+sign\t%.5f\t%.1f%ndecrypt+verify\t%.5f\t%.1f%nmechanism\t%s%n",
        em, mb / em, dm, mb / dm, r.mechanism());
  }
}
