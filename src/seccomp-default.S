/* hardrun's default seccomp profile, embedded as NUL-terminated JSON text. */
        .section .rodata
        .global hr_seccomp_default_profile
        .type hr_seccomp_default_profile, @object
hr_seccomp_default_profile:
        .incbin "profiles/seccomp/default.json"
        .byte 0

        .section .note.GNU-stack,"",@progbits
