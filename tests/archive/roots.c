/*
 * roots.c - see roots.h.
 */
#include "roots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

static void dump_request(dumper *d, const void *buf) { dump_IpcRequest(d, grite_IpcRequest_root(buf)); }
static void dump_reply(dumper *d, const void *buf) { dump_IpcReply(d, grite_IpcReply_root(buf)); }
static void dump_notification(dumper *d, const void *buf)
{
    dump_Notification(d, grite_Notification_root(buf));
}
static void dump_node(dumper *d, const void *buf) { dump_Node(d, deep_Node_root(buf)); }
static void dump_tree(dumper *d, const void *buf) { dump_Tree(d, deep_Tree_root(buf)); }
static void dump_shapes(dumper *d, const void *buf) { dump_Shapes(d, shapes_Shapes_root(buf)); }

static const root_type roots[] = {
    { "IpcRequest", grite_IpcRequest_validate, grite_IpcRequest_validate_depth, dump_request,
      sizeof(grite_IpcRequest) },
    { "IpcReply", grite_IpcReply_validate, grite_IpcReply_validate_depth, dump_reply,
      sizeof(grite_IpcReply) },
    { "Notification", grite_Notification_validate, grite_Notification_validate_depth,
      dump_notification, sizeof(grite_Notification) },
    { "Node", deep_Node_validate, deep_Node_validate_depth, dump_node, sizeof(deep_Node) },
    { "Tree", deep_Tree_validate, deep_Tree_validate_depth, dump_tree, sizeof(deep_Tree) },
    { "Shapes", shapes_Shapes_validate, shapes_Shapes_validate_depth, dump_shapes,
      sizeof(shapes_Shapes) },
};

const root_type *root_find(const char *name)
{
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        if (strcmp(roots[i].name, name) == 0)
            return &roots[i];
    return NULL;
}

checked root_check(const root_type *rt, const void *buf, size_t len, bool use_default_depth,
                   uint32_t max_depth, textbuf *text)
{
    checked c;
    memset(&c, 0, sizeof c);
    /* Poison err first: a validator that succeeds must clear it. */
    memset(&c.err, 0x5a, sizeof c.err);
    c.rc = use_default_depth ? rt->validate(buf, len, &c.err)
                             : rt->validate_depth(buf, len, max_depth, &c.err);
    /* err may be NULL: the same verdict, and no write through it. */
    int rc_no_err = use_default_depth ? rt->validate(buf, len, NULL)
                                      : rt->validate_depth(buf, len, max_depth, NULL);
    if (rc_no_err != c.rc) {
        snprintf(c.problem, sizeof c.problem, "returned %d with err, %d without", c.rc, rc_no_err);
        return c;
    }
    if (c.rc != 0) {
        if ((int)c.err.code != c.rc)
            snprintf(c.problem, sizeof c.problem, "returned %d but err.code is %d", c.rc,
                     (int)c.err.code);
        else if (memchr(c.err.path, '\0', sizeof c.err.path) == NULL)
            snprintf(c.problem, sizeof c.problem, "err.path is not NUL-terminated");
        return c;
    }
    if (c.err.code != GRITE_VERROR_OK || c.err.path[0] != '\0')
        snprintf(c.problem, sizeof c.problem, "accepted but err was not cleared");
    dumper d;
    dumper_init(&d, buf, len);
    d.keep_text = text != NULL;
    rt->dump(&d, buf);
    char why[300];
    if (d.problem[0])
        snprintf(c.problem, sizeof c.problem, "%s", d.problem);
    else if (!d_objects_disjoint(&d, rt->root_size, why, sizeof why))
        snprintf(c.problem, sizeof c.problem, "objects overlap: %s", why);
    if (text)
        tb_printf(text, "%s", tb_text(&d.out));
    dumper_free(&d);
    return c;
}

checked root_check_copy(const root_type *rt, const void *buf, size_t len, bool use_default_depth,
                        uint32_t max_depth, textbuf *text)
{
    void *copy = heap_copy(buf, len);
    checked c = root_check(rt, copy, len, use_default_depth, max_depth, text);
    free(copy);
    return c;
}

size_t offset_in(const void *buf, const void *p)
{
    volatile uintptr_t v = (uintptr_t)p;
    return (size_t)(v - (uintptr_t)buf);
}

void *heap_copy(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    if (!q) {
        fputs("heap_copy: out of memory\n", stderr);
        abort();
    }
    if (n)
        memcpy(q, p, n);
    return q;
}
