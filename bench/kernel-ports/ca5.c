// The reference kernel (`../shared/bench/ca5-limit.js` from the project's root), line by line in C: the same model, seeds, alea generator and
// results (to the 12 digits printed). Not part of the project; a measurement of what a compiled language gives on this
// model (see README.md). Built by run.sh with gcc -O2.
#include <stdio.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#define NA 5
#define NS 3
#define STEPS 100
typedef struct { double s0, s1, s2, c; } Alea;
static double mash_n;
static double mash(const char *d) {
  size_t L = strlen(d);
  for (size_t i = 0; i < L; i++) {
    mash_n += (unsigned char)d[i];
    double h = 0.02519603282416938 * mash_n;
    mash_n = (double)(uint32_t)(uint64_t)h;
    h -= mash_n; h *= mash_n;
    mash_n = (double)(uint32_t)(uint64_t)h;
    h -= mash_n;
    mash_n += h * 4294967296.0;
  }
  return (double)(uint32_t)(uint64_t)mash_n * 2.3283064365386963e-10;
}
static void alea_seed(Alea *a, const char *seed) {
  mash_n = 0xefc8249d;
  a->c = 1; a->s0 = mash(" "); a->s1 = mash(" "); a->s2 = mash(" ");
  a->s0 -= mash(seed); if (a->s0 < 0) a->s0 += 1;
  a->s1 -= mash(seed); if (a->s1 < 0) a->s1 += 1;
  a->s2 -= mash(seed); if (a->s2 < 0) a->s2 += 1;
}
static inline double alea_next(Alea *a) {
  double t = 2091639 * a->s0 + a->c * 2.3283064365386963e-10;
  a->s0 = a->s1; a->s1 = a->s2;
  a->c = (double)(int32_t)t;
  return a->s2 = t - a->c;
}
static const double GDP[NA] = {260, 100, 60, 14, 12};
static double G08[NA];
static const double BASE[NS] = {0.3, 0.2, 0.25}, COST[NS] = {0.2, 0.35, 0.25};
static const double S[9] = {0, 0.05, 0.15, 0.02, 0, 0.02, 0.12, 0.03, 0};
static double c[NA*NS], T[NA*NA], trade[STEPS], coop[STEPS*NS];
static double runOne(int seed) {
  Alea r; char buf[32]; snprintf(buf, sizeof buf, "%d", seed); alea_seed(&r, buf);
  for (int k = 0; k < NA*NS; k++) c[k] = 0.2;
  for (int i = 0; i < NA; i++) for (int j = 0; j < NA; j++) T[i*NA+j] = i == j ? 1 : 0.5;
  const double TWO_PI = 2 * M_PI;
  for (int t = 0; t < STEPS; t++) {
    for (int i = 0; i < NA; i++) {
      double sumT = 0; for (int j = 0; j < NA; j++) if (j != i) sumT += T[i*NA+j];
      double meanT = sumT / (NA - 1); int o = i*NS;
      for (int s = 0; s < NS; s++) {
        double ci = c[o+s];
        double u = BASE[s] + S[s*3]*c[o] + S[s*3+1]*c[o+1] + S[s*3+2]*c[o+2] + 0.1*meanT - COST[s]*ci;
        double effort = 1 / (1 + exp(-8 * (u - 0.25)));
        double r1 = alea_next(&r), r2 = alea_next(&r);
        double z = sqrt(-2 * log(1 - r1)) * cos(TWO_PI * r2);
        double v = ci + 0.1 * (effort - ci) + 0.01 * z;
        if (v < 0) v = 0; else if (v > 1) v = 1;
        c[o+s] = v;
      }
    }
    for (int i = 0; i < NA; i++) for (int j = 0; j < NA; j++) {
      if (j == i) continue;
      double m = INFINITY;
      for (int s = 0; s < NS; s++) { double a = (c[i*NS+s] + c[j*NS+s]) / 2; if (a < m) m = a; }
      int k = i*NA+j; double v = T[k] + 0.05 * (m - T[k]);
      if (v < 0) v = 0; else if (v > 1) v = 1; T[k] = v;
    }
    if (alea_next(&r) < 0.02) {
      int a = (int)floor(alea_next(&r) * NA);
      for (int s = 0; s < NS; s++) c[a*NS+s] *= 0.7;
      for (int j = 0; j < NA; j++) if (j != a) T[a*NA+j] *= 0.8;
    }
    double total = 0;
    for (int i = 0; i < NA; i++) for (int j = 0; j < NA; j++) {
      if (j == i) continue;
      total += G08[i]*G08[j] / (1 + 2 * (1 - (c[i*NS] + c[j*NS] + c[i*NS+2] + c[j*NS+2]) / 4));
    }
    trade[t] = total;
    for (int s = 0; s < NS; s++) { double sum = 0; for (int i = 0; i < NA; i++) sum += c[i*NS+s]; coop[t*NS+s] = sum / NA; }
  }
  return trade[STEPS-1];
}
static double checksum(void) { double x = 0; for (int t = 0; t < STEPS; t++) { x += trade[t]; for (int s = 0; s < NS; s++) x += coop[t*NS+s]; } return x; }
int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 10000;
  for (int i = 0; i < NA; i++) G08[i] = pow(GDP[i], 0.8);
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  double sf = 0, sc = 0;
  for (int seed = 1; seed <= runs; seed++) { sf += runOne(seed); sc += checksum(); }
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  printf("{\"impl\":\"ca5-c\",\"runs\":%d,\"ensembleMs\":%.1f,\"runsPerSec\":%.0f,\"meanFinalTrade\":%.12g,\"meanSeriesChecksum\":%.12g}\n", runs, ms, runs / (ms / 1000), sf / runs, sc / runs);
}
