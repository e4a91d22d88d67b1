/* The policy levels, embedded as NUL-terminated JSON text. */
        .section .rodata
        .global hr_level_restricted
        .type hr_level_restricted, @object
hr_level_restricted:
        .incbin "profiles/policies/restricted.json"
        .byte 0

        .global hr_level_baseline
        .type hr_level_baseline, @object
hr_level_baseline:
        .incbin "profiles/policies/baseline.json"
        .byte 0

        .section .note.GNU-stack,"",@progbits
