# No platform at all: one error, not one per platform field.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
const system :K.System = (
  name = "case",  # expect KP0213 @ ""case""
  partitions = [
    (name = "a", program = "a.elf",
     memory = [(name = "stack", size = 0x4000, address = 0x100000)],
     threads = [(name = "main", stack = "stack")]),
  ],
);
