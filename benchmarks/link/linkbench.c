/* The C baselines of `benchmarks/link/run`: telemetry-sized frames (about 230 bytes) from a
 * DEALER to a ROUTER over loopback TCP.
 *
 *   linkbench raw N           ROUTER receives N frames from a DEALER thread, does nothing else
 *   linkbench sqlite N DB [SYNC]
 *                             the same, plus one SQLite insert per frame, 200 per transaction, WAL,
 *                             PRAGMA synchronous=SYNC (default NORMAL; Patrol's store defaults to FULL)
 *   linkbench send ENDPOINT N a DEALER "bench-1": hello, N telemetry frames, a heartbeat; timed
 *                             from the first frame to the heartbeat's echo (for Patrol's row)
 *   linkbench pace ENDPOINT RATE SECONDS EVERY
 *                             RATE frames/s for SECONDS, every EVERY-th a detection (each far from
 *                             the others, so each opens an alert); prints the detection -> ack
 *                             latency p50/p99/max in ms (Patrol acks after storing and fusing)
 *
 * Each mode prints one line: "<mode> <frames> <seconds> <messages/s>".
 * Build: cc -O2 -o linkbench linkbench.c -lzmq -lsqlite3 -lpthread
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int frame(char *out, size_t size, unsigned long long seq) {
    return snprintf(out, size,
        "{\"v\":1,\"type\":\"telemetry\",\"device\":\"bench-1\",\"seq\":%llu,\"time\":1764036000000,"
        "\"body\":{\"flight_id\":\"bench\",\"telemetry\":{\"altitude\":52.4,\"battery\":0.86,\"heading\":48.2,"
        "\"position\":{\"lat\":22.5433,\"lon\":114.0581},\"speed\":7.9,\"state\":\"transit\","
        "\"time\":1764036000000,\"waypoint_index\":1}}}", seq);
}

static void check(int ok, const char *what) {
    if (!ok) { fprintf(stderr, "linkbench: %s: %s\n", what, zmq_strerror(zmq_errno())); exit(1); }
}

struct sender { void *ctx; char endpoint[256]; long n; };

static void *send_all(void *arg) {
    struct sender *s = arg;
    void *dealer = zmq_socket(s->ctx, ZMQ_DEALER);
    int hwm = 1000, linger = 1000;
    zmq_setsockopt(dealer, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(dealer, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "bench-1", 7);
    check(zmq_connect(dealer, s->endpoint) == 0, "zmq_connect");
    char buf[512];
    for (long i = 1; i <= s->n; i++) {
        int len = frame(buf, sizeof buf, (unsigned long long)i);
        check(zmq_send(dealer, buf, len, 0) == len, "zmq_send");
    }
    zmq_close(dealer);
    return NULL;
}

static int receive_mode(long n, const char *db_path, const char *synchronous) {
    void *ctx = zmq_ctx_new();
    void *router = zmq_socket(ctx, ZMQ_ROUTER);
    int hwm = 1000;
    zmq_setsockopt(router, ZMQ_RCVHWM, &hwm, sizeof hwm);
    check(zmq_bind(router, "tcp://127.0.0.1:*") == 0, "zmq_bind");
    struct sender s = { ctx, "", n };
    size_t size = sizeof s.endpoint;
    zmq_getsockopt(router, ZMQ_LAST_ENDPOINT, s.endpoint, &size);

    sqlite3 *db = NULL;
    sqlite3_stmt *insert = NULL;
    if (db_path) {
        check(sqlite3_open(db_path, &db) == SQLITE_OK, "sqlite3_open");
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA synchronous=%s;", synchronous);
        sqlite3_exec(db, pragma, NULL, NULL, NULL);
        sqlite3_exec(db, "PRAGMA journal_mode=WAL;"
            "CREATE TABLE IF NOT EXISTS telemetry(id INTEGER PRIMARY KEY, flightID TEXT, deviceID TEXT NOT NULL,"
            " sequence INTEGER NOT NULL, time TEXT NOT NULL, lon REAL, lat REAL, altitude REAL, heading REAL,"
            " speed REAL, battery REAL, state TEXT, waypointIndex INTEGER);"
            "CREATE INDEX IF NOT EXISTS telemetry_flight ON telemetry(flightID);", NULL, NULL, NULL);
        check(sqlite3_prepare_v2(db, "INSERT INTO telemetry(flightID, deviceID, sequence, time, lon, lat, altitude,"
            " heading, speed, battery, state, waypointIndex) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", -1, &insert, NULL)
            == SQLITE_OK, "sqlite3_prepare");
    }
    pthread_t thread;
    pthread_create(&thread, NULL, send_all, &s);
    double start = 0;
    char id[256], buf[2048];
    for (long i = 0; i < n; i++) {
        check(zmq_recv(router, id, sizeof id, 0) >= 0, "zmq_recv id");
        int len = zmq_recv(router, buf, sizeof buf - 1, 0);
        check(len >= 0, "zmq_recv frame");
        if (i == 0) start = now();
        if (db) {
            if (i % 200 == 0) sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
            buf[len < (int)sizeof buf - 1 ? len : (int)sizeof buf - 1] = 0;
            const char *seq = strstr(buf, "\"seq\":");
            sqlite3_bind_text(insert, 1, "bench", -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 2, "bench-1", -1, SQLITE_STATIC);
            sqlite3_bind_int64(insert, 3, seq ? strtoll(seq + 6, NULL, 10) : 0);
            sqlite3_bind_text(insert, 4, "2025-11-25 02:00:00.000", -1, SQLITE_STATIC);
            sqlite3_bind_double(insert, 5, 114.0581);
            sqlite3_bind_double(insert, 6, 22.5433);
            sqlite3_bind_double(insert, 7, 52.4);
            sqlite3_bind_double(insert, 8, 48.2);
            sqlite3_bind_double(insert, 9, 7.9);
            sqlite3_bind_double(insert, 10, 0.86);
            sqlite3_bind_text(insert, 11, "transit", -1, SQLITE_STATIC);
            sqlite3_bind_int(insert, 12, 1);
            check(sqlite3_step(insert) == SQLITE_DONE, "sqlite3_step");
            sqlite3_reset(insert);
            if (i % 200 == 199 || i == n - 1) sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        }
    }
    double seconds = now() - start;
    pthread_join(thread, NULL);
    if (db) { sqlite3_finalize(insert); sqlite3_close(db); }
    printf("%s %ld %.3f %.0f\n", db ? "sqlite" : "raw", n, seconds, n / seconds);
    zmq_close(router);
    zmq_ctx_term(ctx);
    return 0;
}

/* A DEALER "bench-1" connected to ENDPOINT that has said hello and been welcomed. */
static void *device(void *ctx, const char *endpoint, int hwm) {
    void *dealer = zmq_socket(ctx, ZMQ_DEALER);
    int linger = 1000;
    zmq_setsockopt(dealer, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(dealer, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(dealer, ZMQ_ROUTING_ID, "bench-1", 7);
    check(zmq_connect(dealer, endpoint) == 0, "zmq_connect");
    char buf[2048];
    const char *hello = "{\"v\":1,\"type\":\"hello\",\"device\":\"bench-1\",\"seq\":1,\"time\":1764036000000,"
        "\"body\":{\"protocol_version\":1,\"kind\":\"drone\",\"capabilities\":[]}}";
    check(zmq_send(dealer, hello, strlen(hello), 0) >= 0, "zmq_send hello");
    check(zmq_recv(dealer, buf, sizeof buf, 0) >= 0, "zmq_recv welcome");
    return dealer;
}

static int send_mode(const char *endpoint, long n) {
    void *ctx = zmq_ctx_new();
    void *dealer = device(ctx, endpoint, 1000);
    char buf[2048];
    double start = now();
    for (long i = 0; i < n; i++) {
        int len = frame(buf, sizeof buf, (unsigned long long)i + 2);
        check(zmq_send(dealer, buf, len, 0) == len, "zmq_send");
    }
    long seq = n + 2;
    char heartbeat[256];
    int len = snprintf(heartbeat, sizeof heartbeat, "{\"v\":1,\"type\":\"heartbeat\",\"device\":\"bench-1\","
        "\"seq\":%ld,\"time\":1764036000000,\"body\":{}}", seq);
    check(zmq_send(dealer, heartbeat, len, 0) == len, "zmq_send heartbeat");
    /* A heartbeat dropped under overload is sent again each second, numbered anew as a device numbers
     * every message (a repeated seq is refused as a replay, and that refusal, answered after this
     * sender has gone, was the "dropped" message `patrol bench link` reported now and then). */
    int wait_ms = 1000;
    zmq_setsockopt(dealer, ZMQ_RCVTIMEO, &wait_ms, sizeof wait_ms);
    for (;;) {
        int got = zmq_recv(dealer, buf, sizeof buf - 1, 0);
        if (got < 0 && zmq_errno() == EAGAIN) {
            len = snprintf(heartbeat, sizeof heartbeat, "{\"v\":1,\"type\":\"heartbeat\",\"device\":\"bench-1\","
                "\"seq\":%ld,\"time\":1764036000000,\"body\":{}}", ++seq);
            check(zmq_send(dealer, heartbeat, len, 0) == len, "zmq_send heartbeat");
            continue;
        }
        check(got >= 0, "zmq_recv echo");
        buf[got < (int)sizeof buf - 1 ? got : (int)sizeof buf - 1] = 0;
        if (strstr(buf, "\"type\":\"heartbeat\"")) break;
        if (strstr(buf, "\"type\":\"error\"")) { fprintf(stderr, "linkbench: refused: %s\n", buf); return 1; }
    }
    double seconds = now() - start;
    printf("patrol %ld %.3f %.0f\n", n, seconds, n / seconds);
    zmq_close(dealer);
    zmq_ctx_term(ctx);
    return 0;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void take_acks(void *dealer, double *sent_at, double *latency, long *acked, long detections) {
    char buf[2048];
    int got;
    while ((got = zmq_recv(dealer, buf, sizeof buf - 1, ZMQ_DONTWAIT)) >= 0) {
        buf[got < (int)sizeof buf - 1 ? got : (int)sizeof buf - 1] = 0;
        const char *id = strstr(buf, "\"detection_id\":\"bench-1/d");
        if (!id) continue;
        long k = atol(id + strlen("\"detection_id\":\"bench-1/d"));
        if (k >= 0 && k < detections && latency[k] < 0) { latency[k] = (now() - sent_at[k]) * 1000; (*acked)++; }
    }
}

static int pace_mode(const char *endpoint, long rate, double seconds, long every) {
    void *ctx = zmq_ctx_new();
    void *dealer = device(ctx, endpoint, 100000);
    char buf[2048];
    long total = (long)(rate * seconds), detections = total / every + 1, acked = 0, k = 0;
    double *sent_at = calloc(detections, sizeof(double)), *latency = malloc(detections * sizeof(double));
    for (long i = 0; i < detections; i++) latency[i] = -1;
    double start = now();
    for (long i = 0; i < total; i++) {
        /* Ahead of the schedule: read acks and sleep a little (a spinning sender would take a core). */
        while (now() < start + (double)i / rate) {
            take_acks(dealer, sent_at, latency, &acked, detections);
            usleep(200);
        }
        int len;
        if (i % every == every - 1 && k < detections) {
            /* 0.002 degrees apart (about 200 m): every detection opens its own alert. */
            len = snprintf(buf, sizeof buf,
                "{\"v\":1,\"type\":\"detection\",\"device\":\"bench-1\",\"seq\":%ld,\"time\":1764036000000,"
                "\"body\":{\"flight_id\":\"bench\",\"detection\":{\"id\":\"bench-1/d%ld\",\"time\":1764036000000,"
                "\"kind\":\"smoke\",\"confidence\":0.9,\"position\":{\"lon\":%.6f,\"lat\":%.6f},"
                "\"position_error\":5}}}", i + 2, k, 113.0 + (k % 500) * 0.002, 22.0 + (k / 500) * 0.002);
            sent_at[k++] = now();
        } else {
            len = frame(buf, sizeof buf, (unsigned long long)i + 2);
        }
        check(zmq_send(dealer, buf, len, 0) == len, "zmq_send");
    }
    double sent = now() - start;
    while (acked < k && now() < start + sent + 5) {
        take_acks(dealer, sent_at, latency, &acked, detections);
        usleep(200);
    }
    qsort(latency, k, sizeof(double), compare);
    long first = 0;
    while (first < k && latency[first] < 0) first++;
    long n = k - first;
    if (n == 0) { fprintf(stderr, "linkbench: no detection acknowledged\n"); return 1; }
    printf("latency %ld %.0f %ld %ld %.2f %.2f %.2f\n", total, total / sent, k, n,
        latency[first + n / 2], latency[first + (long)(n * 0.99)], latency[k - 1]);
    zmq_close(dealer);
    zmq_ctx_term(ctx);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 6 && strcmp(argv[1], "pace") == 0) return pace_mode(argv[2], atol(argv[3]), atof(argv[4]), atol(argv[5]));
    if (argc >= 3 && strcmp(argv[1], "raw") == 0) return receive_mode(atol(argv[2]), NULL, NULL);
    if (argc >= 4 && strcmp(argv[1], "sqlite") == 0)
        return receive_mode(atol(argv[2]), argv[3], argc >= 5 ? argv[4] : "NORMAL");
    if (argc >= 4 && strcmp(argv[1], "send") == 0) return send_mode(argv[2], atol(argv[3]));
    fprintf(stderr, "usage: linkbench raw N | linkbench sqlite N DB | linkbench send ENDPOINT N\n");
    return 2;
}
