/*
 * grite-dump: validate grite frames (or one raw archive) and print them as
 * JSON. See docs/man/grite-dump.1.
 *
 *   main.c     the two modes: a stream of frames, or one raw archive
 *   options.c  the command line
 *   input.c    reading the input, cutting it into frames
 *   report.c   a JSON record or an error line per frame
 *   roots.c    the message types of idl/grite.idl
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "options.h"
#include "report.h"
#include "roots.h"

/* Frames until the input ends; a frame that cannot be cut out (truncated,
 * oversized, unreadable) ends the run, since nothing after it can be
 * trusted to start at a frame boundary. */
static void dump_frames(dumper *d, dump_input *in)
{
    for (uint64_t index = 1;; index++) {
        frame_info f;
        frame_event ev = input_next_frame(in, &f);
        dump_where w = { true, index, f.offset, GRITE_FRAME_HEADER_SIZE + (uint64_t)f.len };
        switch (ev) {
        case FRAME_OK:
            dump_body(d, &w, f.body, f.len);
            continue;
        case FRAME_END:
            return;
        case FRAME_TRUNCATED:
            w.size = f.have;
            if (f.header_complete)
                dump_problem(d, &w, "truncated: announces %zu bytes, only %zu present", f.len,
                             f.have - GRITE_FRAME_HEADER_SIZE);
            else
                dump_problem(d, &w, "truncated: only %zu of the 4 length bytes", f.have);
            return;
        case FRAME_TOO_LARGE:
            w.size = GRITE_FRAME_HEADER_SIZE;
            dump_problem(d, &w, "announces %zu bytes, more than the maximum frame size %zu "
                                "(--max-frame); cannot go on", f.len, d->opt->max_frame);
            return;
        case FRAME_READ_ERROR:
            fflush(stdout);
            fprintf(stderr, "grite-dump: %s: read error after %" PRIu64 " bytes: %s\n", in->name,
                    f.offset, strerror(f.err));
            d->any_invalid = true;
            return;
        }
    }
}

static void dump_raw(dumper *d, dump_input *in)
{
    uint8_t *data;
    size_t len;
    int rc = input_read_all(in, d->opt->max_frame, &data, &len);
    if (rc != 0) {
        fflush(stdout);
        if (rc > 0)
            fprintf(stderr, "grite-dump: %s: the archive is larger than %zu bytes (--max-frame)\n",
                    in->name, d->opt->max_frame);
        else
            fprintf(stderr, "grite-dump: %s: read error: %s\n", in->name, strerror(errno));
        d->any_invalid = true;
        return;
    }
    dump_where w = { false, 0, 0, len };
    dump_body(d, &w, data, len);
    free(data);
}

int main(int argc, char **argv)
{
    dump_options opt;
    switch (parse_options(argc, argv, dump_root_names, dump_n_roots, &opt)) {
    case OPTIONS_HELP: return 0;
    case OPTIONS_USAGE: return 2;
    case OPTIONS_RUN: break;
    }
    dump_input in;
    if (input_open(&in, opt.path, opt.max_frame) != 0) {
        fprintf(stderr, "grite-dump: cannot open %s: %s\n", in.name, strerror(errno));
        return 1;
    }
    dumper d;
    dumper_init(&d, &opt);
    if (opt.raw)
        dump_raw(&d, &in);
    else
        dump_frames(&d, &in);
    input_close(&in);
    return dumper_finish(&d);
}
