/* store_history.h - one history of events on two issues, written to logs
 * by hand in any order (store_records.h), for the tests that check a log's
 * order never shows in the issues it holds (test_store_order.c,
 * test_store_nomem.c). */
#ifndef GRITE_TESTS_STORE_HISTORY_H
#define GRITE_TESTS_STORE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

enum { ISSUE_X = 0x11, ISSUE_Y = 0x22 };
#define CREATE_COUNT 2

/* One event of the history; ids are 16 bytes, most of them one repeated
 * byte so their hex is easy to predict. */
struct spec {
    uint8_t kind;
    uint8_t issue;    /* fill byte of the issue id */
    uint8_t actor;    /* fill byte of the actor id */
    uint64_t ts;
    uint8_t id[16];   /* the event id: unique, and unrelated to the ts order */
    char text[128];   /* comment body or label */
    uint8_t assignee; /* fill byte of the assignee's id */
};

struct history {
    struct spec *ev; /* the two creates first */
    size_t count;
};

/* `comments` comments (a quarter on Y), comments/4 labels (some repeated,
 * one also a label of X's create) and comments/8 assignments. Timestamps
 * take 13 values, so most events tie with others on ts, and many on ts and
 * actor: only the event id orders those. Free the result's ev. */
struct history make_history(size_t comments);

/* qsort order of `const struct spec *`: (ts, actor, event id), the order
 * of the stamps, and of comments in an issue. */
int stamp_order(const void *a, const void *b);

enum order { FORWARD, REVERSED, TIES_REVERSED, SHUFFLED, SHUFFLED_WITH_REPEATS, ORDER_COUNT };
/* "forward", "reversed", ...: names for directories and messages. */
extern const char *const order_names[ORDER_COUNT];

/* The events of `h` in `order` (creates first, as causality wants) into
 * list[] (room for 2 * count); returns how many. FORWARD is stamp order,
 * as the store writes; TIES_REVERSED is by ts, but each ts's events in
 * reverse stamp order; SHUFFLED_WITH_REPEATS has every 5th event again at
 * the end. `seed` drives the shuffles. */
size_t arrange(const struct history *h, enum order order, unsigned seed,
               const struct spec **list);

/* Appends records for list[0..n) to the log at `log`. */
void append_events(const char *log, const struct spec *const *list, size_t n);

/* A new store directory parent/<name>-<order>-<seed> whose log holds `h`
 * in `order`; caller frees. */
char *log_in_order(const struct history *h, enum order order, unsigned seed, const char *parent,
                   const char *name);

/* Splits `h` in two: both halves have the creates, every other event goes
 * to one of them at random (by `seed`). Free each half's ev. */
void split_history(const struct history *h, unsigned seed, struct history halves[2]);

#endif
