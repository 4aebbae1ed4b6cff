/* harness/cli.h: the verbs of the blsvk command. Each takes the arguments after the
 * verb (argv[0] is the verb) and returns the process exit status:
 * 0 success, 1 a disagreement or failed case, 2 bad usage or input, 3 device error. */
#ifndef BV_CLI_H
#define BV_CLI_H

enum { BV_EXIT_OK = 0, BV_EXIT_FAIL = 1, BV_EXIT_USAGE = 2, BV_EXIT_DEVICE = 3 };

int bv_cli_vectors(int argc, char **argv);
int bv_cli_ref(int argc, char **argv);
int bv_cli_devices(int argc, char **argv);
int bv_cli_list(int argc, char **argv);
int bv_cli_run(int argc, char **argv);
int bv_cli_eval(int argc, char **argv);
int bv_cli_report(int argc, char **argv);
int bv_cli_mutants(int argc, char **argv);
int bv_cli_bench(int argc, char **argv);

#endif
