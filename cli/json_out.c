/*
 * json_out.c - --json output through the generated printers (see
 * json_out.h).
 */
#include "json_out.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "exit_codes.h"
#include "report.h"

int cli_json_print_response(cli_ctx *ctx, const grite_IpcResponse *resp)
{
    unsigned flags = isatty(fileno(ctx->out)) ? GRITE_JSON_PRETTY : 0;
    grite_json j;
    grite_json_init_file(&j, ctx->out, flags);
    int rc = grite_IpcResponse_to_json(resp, &j);
    if (rc == GRITE_JSON_OK && fputc('\n', ctx->out) == EOF)
        rc = GRITE_JSON_IO_ERROR;
    if (rc != GRITE_JSON_OK)
        return cli_fail(ctx, CLI_EXIT_OTHER, "cannot write the reply: %s: %s",
                        grite_json_strerror(rc), strerror(errno));
    return 0;
}
