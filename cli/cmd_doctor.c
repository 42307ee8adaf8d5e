/*
 * cmd_doctor.c - `grite doctor`: the daemon's health checks as a table.
 * Exits with 1 when a check failed (a warning is not a failure), also
 * with --json, so scripts and CI can gate on it.
 */
#include "call.h"
#include "commands.h"
#include "exit_codes.h"
#include "json_out.h"
#include "report.h"
#include "table.h"

static const char *status_word(grite_CheckStatus s)
{
    switch (s) {
    case GRITE_CHECK_STATUS_OK:
        return "ok";
    case GRITE_CHECK_STATUS_WARN:
        return "warn";
    case GRITE_CHECK_STATUS_FAIL:
        return "FAIL";
    }
    return "?";
}

static size_t count_failed(grite_vec_DoctorCheck checks)
{
    size_t failed = 0;
    for (size_t i = 0; i < checks.len; i++)
        if (grite_DoctorCheck_status(grite_vec_DoctorCheck_at(checks, i)) == GRITE_CHECK_STATUS_FAIL)
            failed++;
    return failed;
}

static int print_checks(cli_ctx *ctx, grite_vec_DoctorCheck checks)
{
    static const char *const headers[] = { "CHECK", "STATUS", "MESSAGE" };
    cli_table t;
    cli_table_init(&t, 3, headers, -1);
    for (size_t i = 0; i < checks.len; i++) {
        const grite_DoctorCheck *c = grite_vec_DoctorCheck_at(checks, i);
        const char *cells[] = { grite_DoctorCheck_name(c).ptr,
                                status_word(grite_DoctorCheck_status(c)),
                                grite_DoctorCheck_message(c).ptr };
        if (cli_table_add_row(&t, cells) != 0) {
            cli_table_free(&t);
            return cli_fail(ctx, CLI_EXIT_ENV, "out of memory");
        }
    }
    cli_table_print(&t, ctx->out, 0);
    cli_table_free(&t);
    return 0;
}

int cli_cmd_doctor(cli_ctx *ctx)
{
    grite_IpcCommand_in cmd = { .tag = GRITE_IPC_COMMAND_DOCTOR };
    const grite_IpcResponse *resp;
    int status = cli_call(ctx, &cmd, &resp);
    if (status == 0)
        status = cli_reply_error(ctx, resp);
    if (status == 0)
        status = cli_expect_kind(ctx, resp, GRITE_IPC_RESPONSE_DOCTOR_RESULT);
    if (status != 0)
        return status;
    grite_vec_DoctorCheck checks =
        grite_IpcResponse_DoctorResult_checks(grite_IpcResponse_as_DoctorResult(resp));
    status = ctx->json ? cli_json_print_response(ctx, resp) : print_checks(ctx, checks);
    if (status != 0)
        return status;
    size_t failed = count_failed(checks);
    if (failed > 0)
        return cli_fail(ctx, CLI_EXIT_OTHER, "%zu of %zu checks failed", failed, checks.len);
    return 0;
}
