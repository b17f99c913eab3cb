// Quadratic bilevel problems with closed forms (quadratic_problem.hpp) and their JSON file.
#include "hyperpush/model/quadratic_problem.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "hyperpush/error.hpp"

namespace hyperpush::model {
namespace {

using nlohmann::json;

//   g = ½ xᵀ A x + xᵀ B λ,   f = ½ ‖x − c‖² + (γ/2) ‖λ‖²   (A symmetric)
class QuadraticProblem final : public LocalProblem {
 public:
  QuadraticProblem(QuadraticAgent agent, double gamma) : agent_(std::move(agent)), gamma_(gamma) {}

  int dim() const override { return static_cast<int>(agent_.a.rows()); }
  int hyper_dim() const override { return static_cast<int>(agent_.b.cols()); }

  double inner_loss(const VectorRef& x, const VectorRef& lambda) const override {
    return 0.5 * x.dot(agent_.a * x) + x.dot(agent_.b * lambda);
  }
  void inner_gradient(const VectorRef& x, const VectorRef& lambda, VectorOut out) const override {
    out.noalias() = agent_.a * x;  // A x + B λ
    out.noalias() += agent_.b * lambda;
  }
  void hessian_vector(const VectorRef&, const VectorRef&, const VectorRef& w,
                      VectorOut out) const override {
    out.noalias() = agent_.a * w;
  }
  void cross_vector(const VectorRef&, const VectorRef&, const VectorRef& w,
                    VectorOut out) const override {
    out.noalias() = agent_.b.transpose() * w;
  }

  double outer_loss(const VectorRef& x, const VectorRef& lambda) const override {
    return 0.5 * (x - agent_.c).squaredNorm() + 0.5 * gamma_ * lambda.squaredNorm();
  }
  void outer_gradient_x(const VectorRef& x, const VectorRef&, VectorOut out) const override {
    out = x - agent_.c;
  }
  void outer_gradient_lambda(const VectorRef&, const VectorRef& lambda,
                             VectorOut out) const override {
    out = gamma_ * lambda;
  }

  Matrix hessian(const VectorRef&, const VectorRef&) const override { return agent_.a; }
  Matrix cross_jacobian(const VectorRef&, const VectorRef&) const override {
    return agent_.b.transpose();
  }
  Vector initial_lambda() const override { return agent_.lambda; }

 private:
  QuadraticAgent agent_;
  double gamma_;
};

std::string to_string(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// "1 number", "5 numbers".
std::string count(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string shape(const Matrix& m) {
  return std::to_string(m.rows()) + " × " + std::to_string(m.cols());
}

// What was found, for "expected …, got …": the value itself when short, else its kind.
std::string describe(const json& v) {
  if (v.is_array()) return "an array of " + std::to_string(v.size());
  if (v.is_object()) return "an object";
  std::string text = v.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

// Reads the values of one file; every message is "<path>: <where>: <what>".
class QuadraticFileReader {
 public:
  explicit QuadraticFileReader(std::string path) : path_(std::move(path)) {}

  QuadraticFile read() const {
    const json root = parse();
    if (!root.is_object())
      fail("expected a JSON object {\"gamma\": …, \"agents\": […]}, got " + describe(root));
    check_keys(root, "", {"gamma", "agents"});
    QuadraticFile file;
    const json& gamma = root.at("gamma");
    if (!gamma.is_number() || !std::isfinite(gamma.get<double>()) || gamma.get<double>() < 0)
      fail("gamma: expected a finite number >= 0, got " + describe(gamma));
    file.gamma = gamma.get<double>();
    const json& agents = root.at("agents");
    if (!agents.is_array() || agents.empty())
      fail("agents: expected a non-empty array of agents, got " + describe(agents));
    Eigen::Index d = -1;  // from agents[0].A
    for (std::size_t i = 0; i < agents.size(); ++i) {
      const std::string where = "agents[" + std::to_string(i) + "]";
      const json& agent = agents[i];
      if (!agent.is_object())
        fail(where + ": expected an object with keys A, B, c, lambda, got " + describe(agent));
      check_keys(agent, where, {"A", "B", "c", "lambda"});
      QuadraticAgent out;
      out.a = matrix(agent.at("A"), where + ".A", d, d);
      if (out.a.rows() != out.a.cols())
        fail(where + ".A", "expected a square matrix, got " + shape(out.a));
      d = out.a.rows();
      check_symmetric(out.a, where + ".A");
      out.b = matrix(agent.at("B"), where + ".B", d, -1);
      out.c = vector(agent.at("c"), where + ".c", d, "");
      out.lambda =
          vector(agent.at("lambda"), where + ".lambda", out.b.cols(), " (one per column of B)");
      file.agents.push_back(std::move(out));
    }
    return file;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(path_ + ": " + what); }
  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    fail(where + ": " + what);
  }

  json parse() const {
    std::ifstream in(path_);
    if (!in) fail(std::string("cannot open: ") + std::strerror(errno) + "; expected a JSON file");
    try {
      return json::parse(in);
    } catch (const json::exception& e) {  // syntax errors, numbers out of range
      std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line …"
      const auto tag = what.find("] ");
      if (tag != std::string::npos) what = what.substr(tag + 2);
      fail("invalid JSON: " + what);
    }
  }

  void check_keys(const json& object, const std::string& where,
                  std::initializer_list<const char*> keys) const {
    const std::string prefix = where.empty() ? "" : where + ": ";
    std::string valid;
    for (const char* key : keys) valid += std::string(valid.empty() ? "" : ", ") + key;
    for (const auto& item : object.items()) {
      bool known = false;
      for (const char* key : keys) known = known || item.key() == key;
      if (!known) fail(prefix + "unknown key \"" + item.key() + "\"; valid keys: " + valid);
    }
    for (const char* key : keys)
      if (!object.contains(key)) fail(prefix + "missing key \"" + key + "\"");
  }

  double number(const json& v, const std::string& where) const {
    if (!v.is_number() || !std::isfinite(v.get<double>()))
      fail(where, "expected a finite number, got " + describe(v));
    return v.get<double>();
  }

  // size < 0: any size ≥ 1.
  Vector vector(const json& v, const std::string& where, Eigen::Index size,
                const std::string& why) const {
    if (!v.is_array()) fail(where, "expected an array of numbers, got " + describe(v));
    if (size >= 0 && static_cast<Eigen::Index>(v.size()) != size)
      fail(where, "expected " + count(size, "number") + why + ", got " + std::to_string(v.size()));
    if (v.empty()) fail(where, "expected at least one number, got none");
    Vector out(v.size());
    for (std::size_t k = 0; k < v.size(); ++k)
      out[k] = number(v[k], where + "[" + std::to_string(k) + "]");
    return out;
  }

  // rows < 0: any number ≥ 1; cols < 0: the length of the first row (≥ 1).
  Matrix matrix(const json& v, const std::string& where, Eigen::Index rows,
                Eigen::Index cols) const {
    if (!v.is_array()) fail(where, "expected an array of rows, got " + describe(v));
    if (rows >= 0 && static_cast<Eigen::Index>(v.size()) != rows)
      fail(where, "expected " + count(rows, "row") + ", got " + std::to_string(v.size()));
    if (v.empty()) fail(where, "expected at least one row, got none");
    Matrix out;
    for (std::size_t r = 0; r < v.size(); ++r) {
      const Vector row = vector(v[r], where + "[" + std::to_string(r) + "]", cols, "");
      if (r == 0) {
        cols = row.size();
        out.resize(static_cast<Eigen::Index>(v.size()), cols);
      }
      out.row(static_cast<Eigen::Index>(r)) = row.transpose();
    }
    return out;
  }

  void check_symmetric(const Matrix& a, const std::string& where) const {
    const double asymmetry = (a - a.transpose()).cwiseAbs().maxCoeff();
    const double scale = a.cwiseAbs().maxCoeff();
    if (asymmetry > 1e-12 * scale)
      fail(where, "not symmetric (max |A - Aᵀ| = " + to_string(asymmetry) +
                      ", more than 1e-12 × max |A| = " + to_string(scale) + ")");
  }

  std::string path_;
};

}  // namespace

std::unique_ptr<LocalProblem> make_quadratic_problem(QuadraticAgent agent, double gamma) {
  const Eigen::Index d = agent.a.rows();
  if (d == 0 || agent.a.cols() != d)
    throw Error("quadratic problem: A is " + shape(agent.a) +
                "; expected a non-empty square matrix");
  if (agent.b.rows() != d)
    throw Error("quadratic problem: B is " + shape(agent.b) + "; expected " + std::to_string(d) +
                " rows like A");
  if (agent.c.size() != d)
    throw Error("quadratic problem: c has " + std::to_string(agent.c.size()) +
                " entries; expected " + std::to_string(d) + " like A");
  if (agent.lambda.size() != agent.b.cols())
    throw Error("quadratic problem: lambda has " + std::to_string(agent.lambda.size()) +
                " entries; expected " + std::to_string(agent.b.cols()) + " (the columns of B)");
  if (!(gamma >= 0 && std::isfinite(gamma)))
    throw Error("quadratic problem: gamma = " + to_string(gamma) +
                " is invalid; expected a finite number >= 0");
  agent.a = 0.5 * (agent.a + agent.a.transpose()).eval();  // g only sees the symmetric part
  return std::make_unique<QuadraticProblem>(std::move(agent), gamma);
}

QuadraticFile read_quadratic_file(const std::string& path) {
  return QuadraticFileReader(path).read();
}

}  // namespace hyperpush::model
