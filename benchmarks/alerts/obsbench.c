/*
 * The C baseline of `patrol bench alerts`: raw sqlite3 prepared statements doing, per observation
 * and in one transaction, the same work as PatrolStore.recordObservation (see
 * Sources/patrol/BenchAlerts.swift):
 *   BEGIN IMMEDIATE
 *   SELECT the (device, detection id) pair (a resend is stored once)
 *   SELECT the incident's stored state
 *   UPDATE the incident (all columns), INSERT it when there was none
 *   every tenth: INSERT its opening transition and INSERT OR REPLACE its escalation deadline
 *   INSERT the detection, linked to the incident
 *   COMMIT
 * on a database whose schema Patrol created (same tables and indexes), WAL, synchronous as asked.
 *
 *   obsbench DB N full|normal      prints "c N SECONDS"
 * Build: cc -O2 -o obsbench obsbench.c -lsqlite3
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;

static void check(int rc, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "obsbench: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *s;
    check(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL), sql);
    return s;
}

static void exec(const char *sql) { check(sqlite3_exec(db, sql, NULL, NULL, NULL), sql); }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: obsbench DB N full|normal\n");
        return 2;
    }
    long n = atol(argv[2]);
    check(sqlite3_open(argv[1], &db), "open");
    sqlite3_busy_timeout(db, 5000);
    exec("PRAGMA journal_mode=WAL");
    exec(strcmp(argv[3], "full") == 0 ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
    sqlite3_stmt *exists = prepare("SELECT COUNT(*) FROM detection WHERE deviceID = ? AND detectionID = ?");
    sqlite3_stmt *previous = prepare("SELECT * FROM alert WHERE id = ?");
    sqlite3_stmt *update = prepare(
        "UPDATE alert SET kind=?, state=?, lon=?, lat=?, positionError=?, firstSeen=?, lastSeen=?, observations=?, "
        "confidence=?, source=?, flightID=?, sources=?, confirmed=?, reopenedFrom=? WHERE id=?");
    sqlite3_stmt *insert_alert = prepare(
        "INSERT INTO alert (kind, state, lon, lat, positionError, firstSeen, lastSeen, observations, confidence, "
        "source, flightID, sources, confirmed, reopenedFrom, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_stmt *transition = prepare(
        "INSERT INTO alertTransition (alertID, fromState, toState, at, actor, reason) VALUES (?,?,?,?,?,?)");
    sqlite3_stmt *deadline = prepare(
        "INSERT OR REPLACE INTO escalationDeadline (alertID, due, startedAt, levels, reminder, responsible) "
        "VALUES (?,?,?,?,?,?)");
    sqlite3_stmt *detection = prepare(
        "INSERT INTO detection (deviceID, detectionID, flightID, time, kind, confidence, lon, lat, positionError, "
        "evidence, alertID) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_stmt *begin = prepare("BEGIN IMMEDIATE");
    sqlite3_stmt *commit = prepare("COMMIT");
    const char *when = "2026-11-25 10:00:00.000";
    char id[64], alert[64], sources[96];
    double start = now();
    for (long i = 0; i < n; i++) {
        long place = i / 10;
        int opens = i % 10 == 0;
        double lon = 114.125 + (place % 40) * 0.0007, lat = 22.565 + (place / 40 % 40) * 0.0007;
        snprintf(id, sizeof id, "obs-%ld", i);
        snprintf(alert, sizeof alert, "alert-c-%ld", place);
        snprintf(sources, sizeof sources, "{\"cam-bench\":0.8}");
        check(sqlite3_step(begin), "begin");
        sqlite3_reset(begin);

        sqlite3_bind_text(exists, 1, "cam-bench", -1, SQLITE_STATIC);
        sqlite3_bind_text(exists, 2, id, -1, SQLITE_STATIC);
        check(sqlite3_step(exists), "exists");
        if (sqlite3_column_int(exists, 0) != 0) exit(3);
        sqlite3_reset(exists);

        sqlite3_bind_text(previous, 1, alert, -1, SQLITE_STATIC);
        check(sqlite3_step(previous), "previous");
        sqlite3_reset(previous);

        sqlite3_stmt *a = update;
        for (int pass = 0; pass < 2; pass++) {
            sqlite3_bind_text(a, 1, "garbage", -1, SQLITE_STATIC);
            sqlite3_bind_text(a, 2, "new", -1, SQLITE_STATIC);
            sqlite3_bind_double(a, 3, lon);
            sqlite3_bind_double(a, 4, lat);
            sqlite3_bind_double(a, 5, 3);
            sqlite3_bind_text(a, 6, when, -1, SQLITE_STATIC);
            sqlite3_bind_text(a, 7, when, -1, SQLITE_STATIC);
            sqlite3_bind_int64(a, 8, i % 10 + 1);
            sqlite3_bind_double(a, 9, 0.8);
            sqlite3_bind_text(a, 10, "cam-bench", -1, SQLITE_STATIC);
            sqlite3_bind_null(a, 11);
            sqlite3_bind_text(a, 12, sources, -1, SQLITE_STATIC);
            sqlite3_bind_int(a, 13, 0);
            sqlite3_bind_null(a, 14);
            sqlite3_bind_text(a, 15, alert, -1, SQLITE_STATIC);
            check(sqlite3_step(a), "alert");
            sqlite3_reset(a);
            if (a == insert_alert || sqlite3_changes(db) > 0) break;
            a = insert_alert;
        }
        if (opens) {
            sqlite3_bind_text(transition, 1, alert, -1, SQLITE_STATIC);
            sqlite3_bind_null(transition, 2);
            sqlite3_bind_text(transition, 3, "new", -1, SQLITE_STATIC);
            sqlite3_bind_text(transition, 4, when, -1, SQLITE_STATIC);
            sqlite3_bind_text(transition, 5, "fusion", -1, SQLITE_STATIC);
            sqlite3_bind_text(transition, 6, "opened by cam-bench", -1, SQLITE_STATIC);
            check(sqlite3_step(transition), "transition");
            sqlite3_reset(transition);
            sqlite3_bind_text(deadline, 1, alert, -1, SQLITE_STATIC);
            sqlite3_bind_text(deadline, 2, when, -1, SQLITE_STATIC);
            sqlite3_bind_text(deadline, 3, when, -1, SQLITE_STATIC);
            sqlite3_bind_text(deadline, 4, "[0]", -1, SQLITE_STATIC);
            sqlite3_bind_int(deadline, 5, 0);
            sqlite3_bind_text(deadline, 6, "sanitation", -1, SQLITE_STATIC);
            check(sqlite3_step(deadline), "deadline");
            sqlite3_reset(deadline);
        }
        sqlite3_bind_text(detection, 1, "cam-bench", -1, SQLITE_STATIC);
        sqlite3_bind_text(detection, 2, id, -1, SQLITE_STATIC);
        sqlite3_bind_null(detection, 3);
        sqlite3_bind_text(detection, 4, when, -1, SQLITE_STATIC);
        sqlite3_bind_text(detection, 5, "garbage", -1, SQLITE_STATIC);
        sqlite3_bind_double(detection, 6, 0.8);
        sqlite3_bind_double(detection, 7, lon);
        sqlite3_bind_double(detection, 8, lat);
        sqlite3_bind_double(detection, 9, 3);
        sqlite3_bind_null(detection, 10);
        sqlite3_bind_text(detection, 11, alert, -1, SQLITE_STATIC);
        check(sqlite3_step(detection), "detection");
        sqlite3_reset(detection);

        check(sqlite3_step(commit), "commit");
        sqlite3_reset(commit);
    }
    double seconds = now() - start;
    printf("c %ld %.6f\n", n, seconds);
    sqlite3_close_v2(db);
    return 0;
}
