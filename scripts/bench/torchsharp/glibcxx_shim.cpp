// Benchmark-only workaround (scripts/bench/torchsharp.sh): libLibTorchSharp.so of TorchSharp 0.107.0 was built with
// GCC 13 and needs one symbol that Debian 12's libstdc++ (GCC 12) lacks: std::ios_base_library_init(), version
// GLIBCXX_3.4.32. GCC 13's <iostream> calls it from a static initializer to set up the standard streams; GCC 12 does
// the same with a static std::ios_base::Init object, which is what this does. Loaded with LD_PRELOAD; unversioned, so
// the dynamic linker accepts it for the versioned reference once that version need is marked weak.
#include <ios>

namespace std
{
    void ios_base_library_init()
    {
        static ios_base::Init streams;
    }
}
