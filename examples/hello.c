/*
 * hello.c - the smallest complete use of the generated API:
 * build a request into a buffer, validate it as untrusted bytes, read it
 * in place, and see what the validator says about a corrupted copy.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "grite.h"

static int build_request(grite_buf *b)
{
    static const grite_str labels[] = { GRITE_STR("bug"), GRITE_STR("daemon"), GRITE_STR("p1") };
    grite_IpcRequest_in req = {
        .ipc_schema_version = 1,
        .request_id = GRITE_STR("6f1c2a9e-3b7d-4c55-9e21-0d8f4a7b1c33"),
        .repo_root = GRITE_STR("/home/alice/src/project"),
        .actor_id = GRITE_STR("a1b2c3d4e5f60718293a4b5c6d7e8f90"),
        .data_dir = GRITE_STR(".git/grite/actors/a1b2c3d4e5f60718293a4b5c6d7e8f90"),
        .command = {
            .tag = GRITE_IPC_COMMAND_ISSUE_CREATE,
            .v.IssueCreate = {
                .title = GRITE_STR("Daemon loses lock after suspend"),
                .body = GRITE_STR("When the laptop resumes, the heartbeat is late."),
                .labels = { labels, 3 },
            },
        },
    };
    return grite_IpcRequest_build(b, &req);
}

static void print_request(const grite_IpcRequest *req)
{
    grite_str id = grite_IpcRequest_request_id(req);
    const grite_IpcCommand *cmd = grite_IpcRequest_command(req);
    printf("request %.*s: %s\n", (int)id.len, id.ptr,
           grite_IpcCommand_kind_name(grite_IpcCommand_tag(cmd)));

    const grite_IpcCommand_IssueCreate *c = grite_IpcCommand_as_IssueCreate(cmd);
    if (c == NULL)
        return;
    grite_str title = grite_IpcCommand_IssueCreate_title(c);
    printf("  title:  %s\n", title.ptr);   /* strings are NUL-terminated in place */
    grite_vec_str labels = grite_IpcCommand_IssueCreate_labels(c);
    printf("  labels:");
    for (uint32_t i = 0; i < labels.len; i++)
        printf(" %s", grite_vec_str_at(labels, i).ptr);
    printf("\n");
}

int main(void)
{
    /* 8-aligned caller-owned memory: no heap allocation at all. */
    _Alignas(8) static uint8_t mem[1024];
    grite_buf b;
    int rc = grite_buf_init_fixed(&b, mem, sizeof mem);
    if (rc == 0)
        rc = build_request(&b);
    if (rc != 0) {
        fprintf(stderr, "hello: build failed: %s\n", grite_build_strerror(rc));
        return 1;
    }
    printf("built an IpcRequest: %zu bytes, schema fingerprint %016" PRIx64 "\n",
           b.len, (uint64_t)GRITE_SCHEMA_FINGERPRINT);

    grite_verror err;
    if (grite_IpcRequest_validate(b.data, b.len, &err) != 0) {
        char msg[512];
        grite_verror_format(&err, msg, sizeof msg);
        fprintf(stderr, "hello: our own message failed validation: %s\n", msg);
        return 1;
    }
    print_request(grite_IpcRequest_root(b.data));

    /* Corrupt one label's length, as a hostile peer might. */
    _Alignas(8) static uint8_t bad[1024];
    memcpy(bad, b.data, b.len);
    bad[b.len - 8] = 0xff;
    if (grite_IpcRequest_validate(bad, b.len, &err) != 0) {
        char msg[512];
        grite_verror_format(&err, msg, sizeof msg);
        printf("a corrupted copy is rejected: %s\n", msg);
    } else {
        printf("a corrupted copy still validates (the byte changed was padding or text)\n");
    }
    return 0;
}
