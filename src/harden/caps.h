/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capability names, normalised through libcap-ng. */
#ifndef HR_CAPS_H
#define HR_CAPS_H

#include <stddef.h>

/* The number of "chown", "CHOWN", "CAP_CHOWN" or "cap_chown"; -EINVAL if unknown. */
int hr_cap_from_name(const char *name);

/* The canonical name of cap ("CAP_CHOWN") into buf. */
int hr_cap_name(int cap, char *buf, size_t size);

#endif
