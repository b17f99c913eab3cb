#include "hyperpush/explain/metric.hpp"

#include <algorithm>

#include "hyperpush/error.hpp"

namespace hyperpush::explain {
namespace {

const std::vector<Metric>& all_metrics() {
  static const std::vector<Metric> metrics = {
      Metric::x_l2,     Metric::x_cos,  Metric::x_dot,    Metric::last_l2, Metric::last_cos,
      Metric::last_dot, Metric::all_l2, Metric::all_cos,  Metric::all_dot, Metric::if_,
      Metric::rif,      Metric::fk,     Metric::grad_dot, Metric::grad_cos};
  return metrics;
}

std::string joined_names() {
  std::string out;
  for (const auto& name : metric_names()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = {
      "x_l2",    "x_cos",   "x_dot", "last_l2", "last_cos", "last_dot", "all_l2",
      "all_cos", "all_dot", "if",    "rif",     "fk",       "grad_dot", "grad_cos"};
  return names;
}

const std::string& metric_name(Metric metric) {
  return metric_names()[static_cast<std::size_t>(metric)];
}

bool uses_gradients(Metric metric) {
  return metric == Metric::if_ || metric == Metric::rif || metric == Metric::fk ||
         metric == Metric::grad_dot || metric == Metric::grad_cos;
}

bool uses_hidden_layers(Metric metric) {
  return metric == Metric::last_l2 || metric == Metric::last_cos || metric == Metric::last_dot ||
         metric == Metric::all_l2 || metric == Metric::all_cos || metric == Metric::all_dot;
}

bool uses_curvature(Metric metric) {
  return metric == Metric::if_ || metric == Metric::rif || metric == Metric::fk;
}

std::vector<Metric> parse_metrics(const std::string& list, const std::string& key) {
  std::vector<Metric> out;
  std::string item;
  const auto flush = [&] {
    if (item.empty())
      throw Error(key + ": empty metric name in \"" + list + "\"; valid: " + joined_names());
    const auto& names = metric_names();
    const auto at = std::find(names.begin(), names.end(), item);
    if (at == names.end())
      throw Error(key + ": unknown metric '" + item + "'; valid: " + joined_names());
    const Metric metric = all_metrics()[static_cast<std::size_t>(at - names.begin())];
    if (std::find(out.begin(), out.end(), metric) != out.end())
      throw Error(key + ": metric '" + item + "' is listed twice");
    out.push_back(metric);
    item.clear();
  };
  for (const char ch : list) {
    if (ch == ' ' || ch == '\t') continue;
    if (ch == ',')
      flush();
    else
      item += ch;
  }
  flush();
  return out;
}

}  // namespace hyperpush::explain
