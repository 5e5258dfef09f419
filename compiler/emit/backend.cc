#include "compiler/emit/backend.h"

#include "compiler/emit/json.h"
#include "compiler/emit/libvirt.h"
#include "compiler/emit/sxp.h"
#include "compiler/emit/xenstore.h"
#include "compiler/emit/xl.h"
#include "compiler/emit/xm_xml.h"

namespace xmc {
namespace {

constexpr Backend kBackends[] = {
    {"sxp", "xm's SXP (`xm create -n`), byte for byte", ".sxp", EmitSxp},
    {"xml", "xm's Xen-API XML (`xm create -x`), byte for byte", ".xml", EmitXmXml},
    {"xenstore", "the XenStore writes xend made at creation, in xend's order", ".xs", EmitXenstore},
    {"xl", "an xl.cfg with xm's meaning", ".xl", EmitXlCfg},
    {"libxl-json", "the libxl JSON `xl create -n` prints for that xl.cfg", ".libxl.json", EmitLibxlJson},
    {"libvirt", "libvirt domain XML for the Xen driver", ".libvirt.xml", EmitLibvirtXml},
    {"json", "the typed model (key order: schema/README.md)", ".json", EmitJson},
};

}  // namespace

std::span<const Backend> Backends() { return kBackends; }

const Backend* FindBackend(std::string_view name) {
  for (const Backend& b : kBackends) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

}  // namespace xmc
