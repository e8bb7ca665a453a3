/* dsha512_bench.c -- ceiling for Bitmessage PoW trials on this CPU (ours).
 * One PoW trial = SHA512(SHA512(nonce_be64 || initialHash64)): a 72-byte and
 * a 64-byte message, i.e. exactly 2 SHA-512 block compressions.
 * Build: gcc -O3 -march=native -o dsha512_bench dsha512_bench.c -lcrypto -lpthread
 * Run:   ./dsha512_bench SECONDS THREADS
 * Modes: "lowlevel" = SHA512_Init/Update/Final (what PyBitmessage's bitmsghash
 * uses), "evp" = EVP_Digest one-shot (the non-deprecated OpenSSL 3 API).
 * Copied from shared/bitmessage/tools for bench/bitmessage; Sceau's only change: an optional
 * third argument "lowlevel" runs that mode alone (run.sh samples it in short windows). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double secs;
static int mode_evp;
static volatile uint64_t sink;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *worker(void *arg) {
    uint64_t *count = arg, n = 0, best = ~0ULL;
    unsigned char buf[72], out[64];
    memset(buf, 0x5a, sizeof buf);
    const EVP_MD *md = EVP_sha512();
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    double end = now() + secs;
    while (1) {
        for (int i = 0; i < 65536; i++, n++) {
            for (int b = 0; b < 8; b++) buf[b] = (unsigned char)(n >> (56 - 8 * b));
            if (mode_evp) {
                unsigned int l;
                EVP_DigestInit_ex(ctx, md, NULL);
                EVP_DigestUpdate(ctx, buf, 72);
                EVP_DigestFinal_ex(ctx, out, &l);
                EVP_DigestInit_ex(ctx, md, NULL);
                EVP_DigestUpdate(ctx, out, 64);
                EVP_DigestFinal_ex(ctx, out, &l);
            } else {
                SHA512_CTX s;
                SHA512_Init(&s); SHA512_Update(&s, buf, 72); SHA512_Final(out, &s);
                SHA512_Init(&s); SHA512_Update(&s, out, 64); SHA512_Final(out, &s);
            }
            uint64_t v = 0;
            for (int b = 0; b < 8; b++) v = (v << 8) | out[b];
            if (v < best) best = v;
        }
        if (now() > end) break;
    }
    sink ^= best;
    EVP_MD_CTX_free(ctx);
    *count = n;
    return NULL;
}

int main(int argc, char **argv) {
    secs = argc > 1 ? atof(argv[1]) : 5;
    int th = argc > 2 ? atoi(argv[2]) : 1;
    int modes = (argc > 3 && strcmp(argv[3], "lowlevel") == 0) ? 1 : 2;
    for (mode_evp = 0; mode_evp < modes; mode_evp++) {
        pthread_t t[64];
        uint64_t c[64] = {0}, total = 0;
        double t0 = now();
        for (int i = 0; i < th; i++) pthread_create(&t[i], NULL, worker, &c[i]);
        for (int i = 0; i < th; i++) { pthread_join(t[i], NULL); total += c[i]; }
        double dt = now() - t0;
        printf("{\"mode\": \"%s\", \"threads\": %d, \"trials\": %llu, "
               "\"seconds\": %.2f, \"trials_per_s\": %.0f}\n",
               mode_evp ? "evp" : "lowlevel", th, (unsigned long long)total, dt,
               total / dt);
    }
    return 0;
}
