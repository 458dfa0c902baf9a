/* Raw PROJ baseline for benchmarks/transform.sh: transforms N points EPSG:4326 -> EPSG:4547 with
 * one proj_trans_generic call, the same points and operation as `patrol bench transform`, and
 * prints "c <points> <seconds> <points per second>". */
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    PJ_CONTEXT *ctx = proj_context_create();
    proj_context_set_enable_network(ctx, 0);
    PJ *raw = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:4547", NULL);
    PJ *op = raw ? proj_normalize_for_visualization(ctx, raw) : NULL;
    if (!op) {
        fprintf(stderr, "cannot create the operation\n");
        return 1;
    }
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *z = malloc(n * sizeof *z);
    /* The same deterministic grid over Luohu as the Swift side. */
    for (size_t i = 0; i < n; i++) {
        x[i] = 114.10 + (double)(i % 1000) * 1e-4;
        y[i] = 22.54 + (double)(i / 1000 % 1000) * 1e-4;
        z[i] = 0;
    }
    double start = now();
    size_t done = proj_trans_generic(op, PJ_FWD, x, sizeof *x, n, y, sizeof *y, n, z, sizeof *z, n, NULL, 0, 0);
    double seconds = now() - start;
    if (done != n) {
        fprintf(stderr, "transformed %zu of %zu\n", done, n);
        return 1;
    }
    printf("c %zu %.6f %.0f (check %.4f %.4f)\n", n, seconds, n / seconds, x[n - 1], y[n - 1]);
    proj_destroy(op);
    proj_destroy(raw);
    proj_context_destroy(ctx);
    return 0;
}
