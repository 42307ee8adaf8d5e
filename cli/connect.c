/*
 * connect.c - finding, starting and connecting to the daemon (see
 * connect.h).
 */
#include "connect.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "daemon_program.h"
#include "exit_codes.h"
#include "grite.h"
#include "report.h"

#define LOG_NAME "daemon.log"

static const char *const timeout_vars[] = { "GRITE_TIMEOUT_MS", "GRITE_DAEMON_TIMEOUT_MS" };

/* A timeout from the environment: 0 when unset or empty (the default
 * applies), -1 when not a number of ms in 1..INT_MAX, else its value. */
static int env_timeout_ms(const char *name)
{
    const char *env = getenv(name);
    uint64_t ms;
    if (env == NULL || env[0] == '\0')
        return 0;
    if (cli_parse_u64(env, INT_MAX, &ms) != 0 || ms == 0)
        return -1;
    return (int)ms;
}

int cli_check_timeout_env(char *err, size_t n)
{
    for (size_t i = 0; i < sizeof timeout_vars / sizeof timeout_vars[0]; i++) {
        if (env_timeout_ms(timeout_vars[i]) < 0) {
            snprintf(err, n, "%s: \"%.64s\" is not a number of milliseconds from 1 to %d",
                     timeout_vars[i], getenv(timeout_vars[i]), INT_MAX);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

int cli_call_timeout_ms(void)
{
    int ms = env_timeout_ms("GRITE_TIMEOUT_MS");
    return ms > 0 ? ms : GRITE_CLIENT_TIMEOUT_DEFAULT_MS;
}

int64_t cli_daemon_timeout_ms(void)
{
    int ms = env_timeout_ms("GRITE_DAEMON_TIMEOUT_MS");
    return ms > 0 ? ms : GRITE_DAEMON_START_TIMEOUT_MS;
}

void cli_disconnect(cli_ctx *ctx)
{
    grite_client_free(ctx->client);
    ctx->client = NULL;
}

/* Connect a new client to socket_path. Returns 0 or a GRITE_ERR_* code;
 * on failure ctx->client is kept so its error can be reported. */
static int connect_socket(cli_ctx *ctx, const char *socket_path)
{
    cli_disconnect(ctx);
    grite_client_options opt = {
        .schema_fingerprint = GRITE_SCHEMA_FINGERPRINT,
        .validate_response = grite_IpcReply_validate,
        .timeout_ms = cli_call_timeout_ms(),
    };
    ctx->client = grite_client_new(socket_path, &opt);
    if (ctx->client == NULL)
        return GRITE_ERR_NO_MEMORY;
    return grite_client_connect(ctx->client);
}

static int connect_failed(cli_ctx *ctx, int rc)
{
    const char *why = ctx->client ? grite_client_strerror(ctx->client) : grite_err_text(rc);
    int status = cli_fail(ctx, cli_exit_for_transport(rc), "%s", why);
    cli_disconnect(ctx);
    return status;
}

/* The fast path: the lock names a socket with a current lease, and it
 * accepts us. Returns 0, GRITE_ERR_NO_DAEMON when there is nobody to talk
 * to (no lock, a stale lock, nothing listening), or another GRITE_ERR_*. */
static int connect_via_lock(cli_ctx *ctx, grite_daemon_info *info)
{
    grite_lock_error lerr;
    grite_lock_status st = grite_daemon_lock_read(ctx->env.lock_path, info, &lerr);
    if (st != GRITE_LOCK_OK)
        return GRITE_ERR_NO_DAEMON;
    if (grite_daemon_info_lease_left_ms(info, grite_daemon_unix_ms()) <= 0)
        return GRITE_ERR_NO_DAEMON;   /* hung or dead: let ensure() take over */
    int rc = connect_socket(ctx, info->socket_path);
    if (rc == GRITE_ERR_NO_DAEMON)
        cli_disconnect(ctx);
    return rc;
}

static int start_daemon(cli_ctx *ctx, grite_daemon_info *info, pid_t *spawned)
{
    char program[PATH_MAX];
    char why[512];
    if (cli_daemon_program(program, sizeof program, why, sizeof why) != 0)
        return cli_fail(ctx, CLI_EXIT_ENV, "cannot start the daemon: %s", why);
    char log_path[GRITE_PATH_MAX + sizeof LOG_NAME];
    snprintf(log_path, sizeof log_path, "%s/%s", ctx->env.data_dir, LOG_NAME);
    char *argv[] = { program, (char *)"--data-dir", ctx->env.data_dir, NULL };
    grite_daemon_spawn_options spawn = {
        .program = program,
        .argv = argv,
        .log_path = log_path,
        .timeout_ms = cli_daemon_timeout_ms(),
    };
    grite_lock_error lerr;
    grite_lock_status st = grite_daemon_ensure(ctx->env.lock_path, &spawn, info, spawned, &lerr);
    if (st != GRITE_LOCK_OK)
        return cli_fail(ctx, cli_exit_for_lock_status(st), "cannot start the daemon: %s",
                        lerr.text);
    return 0;
}

int cli_connect(cli_ctx *ctx, bool may_start, grite_daemon_info *info, bool *started)
{
    grite_daemon_info local;
    if (info == NULL)
        info = &local;
    if (started != NULL)
        *started = false;
    if (ctx->client != NULL && grite_client_fd(ctx->client) >= 0)
        return 0;
    int status = cli_need_data_dir(ctx);
    if (status != 0)
        return status;
    int rc = connect_via_lock(ctx, info);
    if (rc == 0)
        return 0;
    if (rc != GRITE_ERR_NO_DAEMON)
        return connect_failed(ctx, rc);
    if (!may_start)
        return CLI_NO_DAEMON;
    pid_t spawned = 0;
    status = start_daemon(ctx, info, &spawned);
    if (status != 0)
        return status;
    if (started != NULL)
        *started = spawned > 0;
    rc = connect_socket(ctx, info->socket_path);
    return rc == 0 ? 0 : connect_failed(ctx, rc);
}
