/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The floor for any exec wrapper: a static program that does nothing but
 * exec its first argument with the rest.  `make bench` times it beside
 * hardrun, so the cost of the extra exec is told apart from hardrun's work.
 */
#include <unistd.h>

int main(int argc, char **argv)
{
        if (argc < 2)
                return 2;
        execv(argv[1], argv + 1);
        return 127;
}
