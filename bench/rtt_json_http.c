/*
 * rtt_json_http.c - JSON over HTTP/1.1 keep-alive on loopback TCP: the
 * usual "just use HTTP" design. libmicrohttpd serves in the forked child;
 * libcurl posts from the parent with one reused handle, so every request
 * after the first travels on the same warm connection (checked: a
 * reconnect fails the round trip).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "json_codec.h"
#include "net.h"
#include "rtt.h"

#define HTTP_BUF_CAP (64u * 1024u)

/* ---- server (child) ------------------------------------------------------- */

typedef struct http_server {
    int listen_fd;
    server_report *report;
    const workload *wl;
    bool verify_all;
    uint64_t req_digest;
    char *tx;
} http_server;

/* One request's body as it arrives in pieces. */
typedef struct http_upload {
    size_t len;
    bool too_large;
    char body[HTTP_BUF_CAP];
} http_upload;

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Called once when the headers are in, once per piece of body, and once
 * more with no data when the body is complete. */
static enum MHD_Result http_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version, const char *upload_data,
                                   size_t *upload_data_size, void **req_cls)
{
    (void)url, (void)version;
    http_server *s = cls;
    http_upload *up = *req_cls;
    if (up == NULL) {
        if (strcmp(method, "POST") != 0)
            return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "{}", 2);
        up = malloc(sizeof *up);
        if (up == NULL)
            return MHD_NO;
        up->len = 0;
        up->too_large = false;
        *req_cls = up;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (*upload_data_size >= HTTP_BUF_CAP - up->len) {
            up->too_large = true;
        } else {
            memcpy(up->body + up->len, upload_data, *upload_data_size);
            up->len += *upload_data_size;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    server_report_request(s->report);
    if (up->too_large || !json_req_check(up->body, up->len, s->req_digest, s->wl, s->verify_all)) {
        server_report_reject(s->report);
        return reply(conn, MHD_HTTP_BAD_REQUEST, "{}", 2);
    }
    size_t len = 0;
    if (!json_resp_encode(s->wl, s->tx, HTTP_BUF_CAP, &len))
        return MHD_NO;
    return reply(conn, MHD_HTTP_OK, s->tx, len);
}

static void http_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                           enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)conn, (void)why;
    free(*req_cls);
    *req_cls = NULL;
}

/* Serve until SIGTERM. The signal is blocked before libmicrohttpd starts
 * its thread, so only sigwait() here ever receives it. */
static int http_server_main(void *arg)
{
    http_server *s = arg;
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, NULL);
    s->tx = malloc(HTTP_BUF_CAP);
    if (s->tx == NULL)
        return 1;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, 0, NULL, NULL,
        http_handle, s, MHD_OPTION_LISTEN_SOCKET, s->listen_fd, MHD_OPTION_NOTIFY_COMPLETED,
        http_completed, s, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "grite-bench: rtt/json-http: libmicrohttpd did not start\n");
        return 1;
    }
    int sig = 0;
    sigwait(&term, &sig);
    MHD_stop_daemon(d);
    free(s->tx);
    return 0;
}

/* ---- client (parent) ------------------------------------------------------ */

typedef struct http_state {
    CURL *curl;
    struct curl_slist *headers;
    pid_t server;
    bool verify_all;
    const workload *wl;
    uint64_t resp_digest;
    uint64_t round_trips;
    char url[64];
    char tx[HTTP_BUF_CAP];
    size_t rx_len;
    bool rx_overflow;
    char rx[HTTP_BUF_CAP];
} http_state;

static size_t collect_body(char *data, size_t size, size_t nmemb, void *arg)
{
    http_state *st = arg;
    size_t n = size * nmemb;
    if (n >= sizeof st->rx - st->rx_len) {
        st->rx_overflow = true;
        return n;
    }
    memcpy(st->rx + st->rx_len, data, n);
    st->rx_len += n;
    return n;
}

static void http_stop(void *p)
{
    http_state *st = p;
    if (st->curl != NULL)
        curl_easy_cleanup(st->curl);
    curl_slist_free_all(st->headers);
    if (st->server > 0)
        child_stop(st->server);
    free(st);
}

static bool http_client_init(http_state *st)
{
    st->headers = curl_slist_append(NULL, "Content-Type: application/json");
    /* No "Expect: 100-continue" dance: it would add a round trip. */
    struct curl_slist *h = st->headers ? curl_slist_append(st->headers, "Expect:") : NULL;
    st->curl = curl_easy_init();
    if (h == NULL || st->curl == NULL)
        return false;
    st->headers = h;
    CURL *c = st->curl;
    curl_easy_setopt(c, CURLOPT_URL, st->url);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, st->headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, st);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, st->tx);
    return true;
}

static void *http_start(const rtt_env *env, server_report *report)
{
    http_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    st->verify_all = env->verify_all;
    st->wl = env->wl;
    st->resp_digest = workload_resp_digest(env->wl);
    uint16_t port = 0;
    int lfd = tcp_listen_loopback(&port);
    if (lfd < 0) {
        http_stop(st);
        return NULL;
    }
    snprintf(st->url, sizeof st->url, "http://127.0.0.1:%u/rpc", (unsigned)port);
    http_server srv = {lfd, report, env->wl, env->verify_all, workload_req_digest(env->wl), NULL};
    st->server = child_spawn(&env->place, lfd, http_server_main, &srv);
    close(lfd);
    if (st->server < 0 || !http_client_init(st)) {
        fprintf(stderr, "grite-bench: rtt/json-http: cannot start\n");
        http_stop(st);
        return NULL;
    }
    return st;
}

static bool http_round_trip(void *p)
{
    http_state *st = p;
    size_t len = 0;
    if (!json_req_encode(st->wl, st->tx, sizeof st->tx, &len))
        return false;
    curl_easy_setopt(st->curl, CURLOPT_POSTFIELDSIZE, (long)len);
    st->rx_len = 0;
    CURLcode rc = curl_easy_perform(st->curl);
    long status = 0, connects = 0;
    curl_easy_getinfo(st->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(st->curl, CURLINFO_NUM_CONNECTS, &connects);
    if (rc != CURLE_OK || status != 200 || st->rx_overflow) {
        fprintf(stderr, "grite-bench: rtt/json-http: %s, HTTP status %ld\n", curl_easy_strerror(rc), status);
        return false;
    }
    if (st->round_trips++ > 0 && connects != 0) {
        fprintf(stderr, "grite-bench: rtt/json-http: the keep-alive connection was not reused\n");
        return false;
    }
    return json_resp_check(st->rx, st->rx_len, st->resp_digest, st->wl, st->verify_all);
}

const rtt_ops rtt_json_http_ops = {"rtt/json-http", http_start, http_round_trip, http_stop};
