#pragma once
// HYPERPUSH_KERNEL_CLONES before a hot loop's definition builds it for AVX-512, AVX2 and baseline
// x86-64, and the dynamic loader picks the best one for the CPU when the program starts (GCC's
// target_clones), so the default build runs on any x86-64 and still uses the wide registers where
// there are some. The file that defines such a loop is compiled with -ffp-contract=off and adds in
// a fixed order, so every clone gives the same bits. Elsewhere (clang, sanitizers, other CPUs) it
// is nothing: one build for the compiler's target.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__)
#define HYPERPUSH_KERNEL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HYPERPUSH_KERNEL_CLONES
#endif
