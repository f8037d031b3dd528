# The file defines only a Platform constant, no constant of type System.
# expect-file KP0003
@0xa7c3e9d1f2b40c55;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const platform :K.Platform = Virt.platform;
