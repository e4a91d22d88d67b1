/* hardrun's AppArmor profile, hardrun-default, embedded as NUL-terminated text. */
        .section .rodata
        .global hr_apparmor_default_profile
        .type hr_apparmor_default_profile, @object
hr_apparmor_default_profile:
        .incbin "profiles/apparmor/hardrun-default"
        .byte 0

        .section .note.GNU-stack,"",@progbits
