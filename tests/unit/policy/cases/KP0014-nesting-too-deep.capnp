# Brackets nested 65 deep: Cap'n Proto's recursive parser would overflow the stack on far deeper ones.
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
const deep :List(Int32) =
[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
[1]  # expect KP0014 @ "[" 
]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]];
