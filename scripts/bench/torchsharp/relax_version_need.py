#!/usr/bin/python3
"""Benchmark-only workaround (scripts/bench/torchsharp.sh): marks one version need of an ELF shared library weak.

Usage: relax_version_need.py LIBRARY VERSION   (e.g. libLibTorchSharp.so GLIBCXX_3.4.32), edits LIBRARY in place.
The dynamic linker refuses to load a library whose .gnu.version_r names a version that the providing library
lacks, unless that entry has VER_FLG_WEAK; then the symbols bound to it may come from any loaded object (here the
LD_PRELOADed shim). Only ever run on the benchmark's own build output, never on a package cache.
"""
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def main():
    path, wanted = sys.argv[1], sys.argv[2].encode()
    with open(path, "r+b") as handle:
        data = bytearray(handle.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            sys.exit(f"relax_version_need.py: {path} is not a 64-bit little-endian ELF file")
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        for _, kind, _, _, offset, _, link, count, _, _ in sections:
            if kind != SHT_GNU_VERNEED:
                continue
            strings = sections[link][4]
            need = offset
            for _ in range(count):
                _, _, _, aux_offset, next_need = struct.unpack_from("<HHIII", data, need)
                aux = need + aux_offset
                while True:
                    _, flags, _, name, next_aux = struct.unpack_from("<IHHII", data, aux)
                    text = bytes(data[strings + name:data.index(b"\0", strings + name)])
                    if text == wanted:
                        struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                        handle.seek(0)
                        handle.write(data)
                        print(f"relax_version_need.py: {path}: {wanted.decode()} marked weak")
                        return
                    if next_aux == 0:
                        break
                    aux += next_aux
                if next_need == 0:
                    break
                need += next_need
    sys.exit(f"relax_version_need.py: {path} needs no version {wanted.decode()}")


if __name__ == "__main__":
    main()
