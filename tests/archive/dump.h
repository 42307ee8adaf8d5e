/*
 * dump.h - messages as "path = value" text (see dumper.h), from builder
 * input (dump_in_*) or from a validated archive through the generated
 * accessors (dump_*). For equal messages both give the same text.
 */
#ifndef GRITE_TEST_DUMP_H
#define GRITE_TEST_DUMP_H

#include "deep.h"
#include "dumper.h"
#include "grite.h"
#include "shapes.h"

void dump_in_IpcRequest(dumper *d, const grite_IpcRequest_in *r);
void dump_in_IpcReply(dumper *d, const grite_IpcReply_in *r);
void dump_in_Notification(dumper *d, const grite_Notification_in *n);
void dump_in_Node(dumper *d, const deep_Node_in *n);
void dump_in_Tree(dumper *d, const deep_Tree_in *t);
void dump_in_Shapes(dumper *d, const shapes_Shapes_in *s);

/* These read every field through the generated accessors. For an archive
 * walk the dumper checks each view against the buffer (dumper.h). */
void dump_IpcRequest(dumper *d, const grite_IpcRequest *r);
void dump_IpcReply(dumper *d, const grite_IpcReply *r);
void dump_Notification(dumper *d, const grite_Notification *n);
void dump_Node(dumper *d, const deep_Node *n);
void dump_Tree(dumper *d, const deep_Tree *t);
void dump_Shapes(dumper *d, const shapes_Shapes *s);

#endif
