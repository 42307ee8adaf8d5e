/* client_retry.c - a call that reconnects and retries with exponential backoff. */
#include "grite/client.h"

#include <errno.h>
#include <time.h>

#include "monotonic.h"

#define RETRY_ATTEMPTS_DEFAULT 5
#define RETRY_BACKOFF_DEFAULT_MS 100
#define RETRY_ELAPSED_DEFAULT_MS 30000

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static grite_client_retry_policy effective_policy(const grite_client_retry_policy *p)
{
    grite_client_retry_policy e = p ? *p : (grite_client_retry_policy){0, 0, 0};
    if (e.max_attempts <= 0) e.max_attempts = RETRY_ATTEMPTS_DEFAULT;
    if (e.initial_backoff_ms <= 0) e.initial_backoff_ms = RETRY_BACKOFF_DEFAULT_MS;
    if (e.max_elapsed_ms <= 0) e.max_elapsed_ms = RETRY_ELAPSED_DEFAULT_MS;
    return e;
}

/* One attempt, (re)connecting first when needed, with the call's timeout
 * cut to the time the policy has left. */
static int attempt(grite_client *c, const grite_buf *request, const void **response,
                   size_t *response_len, int64_t left_ms)
{
    int rc = 0;
    int timeout = grite_client_get_timeout(c);
    if (timeout < 0 || timeout > left_ms) grite_client_set_timeout(c, (int)(left_ms > 0 ? left_ms : 1));
    if (grite_client_fd(c) < 0) rc = grite_client_connect(c);   /* also clears poisoning */
    if (rc == 0) rc = grite_client_call(c, request, response, response_len);
    grite_client_set_timeout(c, timeout);
    return rc;
}

int grite_client_call_retry(grite_client *c, const grite_buf *request, const void **response,
                            size_t *response_len, const grite_client_retry_policy *policy)
{
    grite_client_retry_policy p = effective_policy(policy);
    int64_t end_us = grite_monotonic_us() + (int64_t)p.max_elapsed_ms * 1000;
    int64_t backoff_ms = p.initial_backoff_ms;
    for (int n = 1;; n++) {
        int64_t left_ms = (end_us - grite_monotonic_us()) / 1000;
        int rc = attempt(c, request, response, response_len, left_ms);
        if (rc == 0 || !grite_err_is_retryable(rc) || n >= p.max_attempts) return rc;
        left_ms = (end_us - grite_monotonic_us()) / 1000;
        if (left_ms <= backoff_ms) return rc;   /* no time for another try */
        grite_client_disconnect(c);
        sleep_ms(backoff_ms);
        backoff_ms *= 2;
    }
}
