/* The workbench: `kensa [--theme NAME] FILE|DIR` (issue: the TUI).  Opens a
 * message in panes, or a mailbox as a message list first.  Refuses to start
 * without a terminal (exit 2, pointing at `kensa analyze`). */
#ifndef KS_TUI_WORKBENCH_H
#define KS_TUI_WORKBENCH_H

/* argv[0] is the program; returns the exit status. */
int ks_workbench_run(int argc, char **argv);

#endif
