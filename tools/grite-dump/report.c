/*
 * report.c - one record per valid frame on standard output (JSON Lines,
 * or indented with --pretty), one line per problem on standard error.
 *
 *   {"frame":2,"offset":24,"length":468,"IpcRequest":{...}}
 *   {"frame":1,"offset":0,"length":20,"hello":{"version":1,"kind":"CLIENT",...}}
 *   frame 3 (bytes 516-983): IpcRequest: command.IssueCreate.labels[1]: string is not valid UTF-8 (at offset 412)
 *
 * Standard output is flushed before each problem so the two streams stay
 * in order on a terminal.
 */
#include "report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <grite/json.h>
#include <grite/session.h>

#include "roots.h"

void dumper_init(dumper *d, const dump_options *opt)
{
    d->opt = opt;
    d->any_invalid = false;
}

/* "frame 3 (bytes 24-40)", "archive (bytes 0-99)": byte ranges are inclusive. */
static void format_where(const dump_where *w, char *out, size_t n)
{
    const char *what = w->framed ? "frame" : "archive";
    char number[32] = "";
    if (w->framed)
        snprintf(number, sizeof number, " %" PRIu64, w->index);
    if (w->size == 0)
        snprintf(out, n, "%s%s (no bytes)", what, number);
    else
        snprintf(out, n, "%s%s (bytes %" PRIu64 "-%" PRIu64 ")", what, number, w->start,
                 w->start + w->size - 1);
}

void dump_problem(dumper *d, const dump_where *w, const char *fmt, ...)
{
    char where[96];
    format_where(w, where, sizeof where);
    fflush(stdout);
    fprintf(stderr, "%s: ", where);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    d->any_invalid = true;
}

/* ---- records ----------------------------------------------------------- */

static void begin_record(const dumper *d, grite_json *j, const dump_where *w, size_t len)
{
    grite_json_init_file(j, stdout, d->opt->pretty ? GRITE_JSON_PRETTY : 0);
    grite_json_begin_object(j);
    if (w->framed) {
        grite_json_key(j, "frame");
        grite_json_u64(j, w->index);
        grite_json_key(j, "offset");
        grite_json_u64(j, w->start);
    }
    grite_json_key(j, "length");
    grite_json_u64(j, len);
}

static void end_record(grite_json *j)
{
    grite_json_end_object(j);
    fputc('\n', stdout);
}

/* ---- hellos ------------------------------------------------------------ */

static bool looks_like_hello(const uint8_t *body, size_t len)
{
    return len >= 4 && memcmp(body, "GRIT", 4) == 0;
}

static const char *hello_kind_name(grite_session_hello_kind kind)
{
    switch (kind) {
    case GRITE_SESSION_HELLO_CLIENT: return "CLIENT";
    case GRITE_SESSION_HELLO_ACCEPT: return "ACCEPT";
    case GRITE_SESSION_HELLO_MISMATCH: return "MISMATCH";
    case GRITE_SESSION_HELLO_REFUSED: return "REFUSED";
    case GRITE_SESSION_HELLO_BUSY: return "BUSY";
    }
    return "?";
}

static void dump_hello(dumper *d, const dump_where *w, const uint8_t *body, size_t len)
{
    grite_session_hello h;
    const char *why = grite_session_hello_decode(body, len, &h);
    if (why) {
        dump_problem(d, w, "hello: %s", why);
        return;
    }
    char fingerprint[17];
    snprintf(fingerprint, sizeof fingerprint, "%016" PRIx64, h.fingerprint);
    grite_json j;
    begin_record(d, &j, w, len);
    grite_json_key(&j, "hello");
    grite_json_begin_object(&j);
    grite_json_key(&j, "version");
    grite_json_u64(&j, h.version);
    grite_json_key(&j, "kind");
    grite_json_cstr(&j, hello_kind_name(h.kind));
    grite_json_key(&j, "fingerprint");
    grite_json_cstr(&j, fingerprint);
    grite_json_key(&j, "schema");   /* does the sender speak the schema this tool reads? */
    grite_json_cstr(&j, h.fingerprint == dump_schema_fingerprint ? "same" : "different");
    grite_json_key(&j, "max_frame");
    grite_json_u64(&j, h.max_frame);
    grite_json_end_object(&j);
    end_record(&j);
}

/* ---- archives ---------------------------------------------------------- */

static bool root_selected(const dumper *d, const dump_root *r)
{
    return !d->opt->type || strcmp(d->opt->type, r->name) == 0;
}

static void dump_archive(dumper *d, const dump_where *w, const uint8_t *body, size_t len)
{
    grite_verror errs[DUMP_MAX_ROOTS];
    bool accepted[DUMP_MAX_ROOTS], any = false;
    for (size_t i = 0; i < dump_n_roots; i++) {
        accepted[i] = false;
        if (!root_selected(d, &dump_roots[i]))
            continue;
        accepted[i] = dump_roots[i].validate(body, len, d->opt->max_depth, &errs[i]) == 0;
        any = any || accepted[i];
    }
    if (!any) {
        for (size_t i = 0; i < dump_n_roots; i++) {
            if (!root_selected(d, &dump_roots[i]))
                continue;
            char text[GRITE_VERROR_PATH_MAX + 128];
            grite_verror_format(&errs[i], text, sizeof text);
            dump_problem(d, w, "%s: %s", dump_roots[i].name, text);
        }
        return;
    }
    grite_json j;
    begin_record(d, &j, w, len);
    for (size_t i = 0; i < dump_n_roots; i++) {
        if (!accepted[i])
            continue;
        grite_json_key(&j, dump_roots[i].name);
        dump_roots[i].to_json(body, &j);
    }
    end_record(&j);
}

void dump_body(dumper *d, const dump_where *w, const uint8_t *body, size_t len)
{
    if (w->framed && looks_like_hello(body, len))
        dump_hello(d, w, body, len);
    else
        dump_archive(d, w, body, len);
}

int dumper_finish(dumper *d)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("grite-dump: writing standard output");
        return 1;
    }
    return d->any_invalid ? 1 : 0;
}
