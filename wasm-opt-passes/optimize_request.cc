#include "wasm-opt-passes/optimize_request.h"


#include <array>
#include <utility>

#include "host-abi/host_abi.h"

namespace ws::opt {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Pipeline, const char*>, 3> kPipelineNames = {{
    {Pipeline::kDebug, "debug"},
    {Pipeline::kSize, "size"},
    {Pipeline::kSpeed, "speed"},
}};

// One case per field type: a field of a new type fails to compile here.
json ToJson(const std::string& value) { return value; }
json ToJson(bool value) { return value; }
json ToJson(int value) { return value; }
json ToJson(const std::vector<std::string>& value) { return value; }
json ToJson(Pipeline value) { return PipelineName(value); }
json ToJson(const Features& value) { return value.Names(); }

Status FromJson(const json& j, std::string& out) {
  if (!j.is_string()) return Error{"not a string"};
  out = j.get<std::string>();
  return {};
}

Status FromJson(const json& j, bool& out) {
  if (!j.is_boolean()) return Error{"not true or false"};
  out = j.get<bool>();
  return {};
}

Status FromJson(const json& j, int& out) {
  if (!j.is_number_integer()) return Error{"not an integer"};
  out = j.get<int>();
  return {};
}

Status FromJson(const json& j, std::vector<std::string>& out) {
  if (!j.is_array()) return Error{"not a list"};
  out.clear();
  for (const json& item : j) {
    if (!item.is_string()) return Error{"not a list of strings"};
    out.push_back(item.get<std::string>());
  }
  return {};
}

Status FromJson(const json& j, Pipeline& out) {
  for (const auto& [pipeline, name] : kPipelineNames) {
    if (j == name) {
      out = pipeline;
      return {};
    }
  }
  return Error{"not debug, size or speed"};
}

// Exactly the listed features: sign_ext and mutable_globals too.
Status FromJson(const json& j, Features& out) {
  std::vector<std::string> names;
  if (Status read = FromJson(j, names); !read) return read;
  out = Features{};
  out.sign_ext = out.mutable_globals = false;
  for (const std::string& name : names) {
    bool* field = out.Field(name);
    if (field == nullptr) return Error{"unknown feature '" + name + "'"};
    *field = true;
  }
  return {};
}

template <typename T>
json FieldsToJson(const T& value) {
  json out = json::object();
  T::Fields(value, [&out](const char* name, const auto& field) { out[name] = ToJson(field); });
  return out;
}

template <typename T>
Status FieldsFromJson(const json& j, const std::string& where, T& value) {
  if (!j.is_object()) return Error{where + " is not an object"};
  Status status;
  T::Fields(value, [&](const char* name, auto& field) {
    if (!status) return;
    if (!j.contains(name)) {
      status = Error{where + " has no " + name};
    } else if (Status read = FromJson(j[name], field); !read) {
      status = Error{where + "'s " + name + " is " + read.error().message};
    }
  });
  return status;
}

}  // namespace

const std::vector<std::string>& DeviceExports() {
  static const std::vector<std::string> kExports = [] {
    std::vector<std::string> names;
    for (const host_abi::Export& e : host_abi::kExports) names.emplace_back(e.name);
    names.emplace_back(host_abi::kMemoryExport);
    return names;
  }();
  return kExports;
}

std::string PipelineName(Pipeline pipeline) {
  for (const auto& [p, name] : kPipelineNames) {
    if (p == pipeline) return name;
  }
  return "debug";
}

json OptimizeRequestToJson(const OptimizeRequest& request) {
  json out = FieldsToJson(request);
  out["options"] = FieldsToJson(request.options);
  return out;
}

Result<OptimizeRequest> OptimizeRequestFromJson(const json& j) {
  OptimizeRequest request;
  if (Status read = FieldsFromJson(j, "the optimize request", request); !read) return Error{read.error().message};
  if (!j.contains("options")) return Error{"the optimize request has no options"};
  if (Status read = FieldsFromJson(j["options"], "the optimize request's options", request.options); !read) {
    return Error{read.error().message};
  }
  return request;
}

std::string OptimizeRequestKey(const OptimizeRequest& request) { return OptimizeRequestToJson(request).dump(); }

}  // namespace ws::opt
