// The C++ half of the Python module (`import hyperpush`): the verbs of hyperpush/app/embedding.hpp,
// MPI's start and end, and hyperpush::Error as Python exceptions. The Python half
// (hyperpush/__init__.py) turns dicts and keyword arguments into configs and parses the JSON.
#include <mpi.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "hyperpush/app/embedding.hpp"
#include "hyperpush/app/library_threads.hpp"
#include "hyperpush/error.hpp"

namespace py = pybind11;

namespace {

bool mpi_started_here = false;

// MPI starts with the module unless the script started it first (mpi4py): then mpi4py ends it.
void start_mpi() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  mpi_started_here = true;
}

void end_mpi() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (mpi_started_here && !finalized) MPI_Finalize();
}

int world(int (*query)(MPI_Comm, int*)) {
  int value = 0;
  query(MPI_COMM_WORLD, &value);
  return value;
}

// Python exception classes (made once, at import).
struct Exceptions {
  py::object base, config, data, divergence, peer, preempted;
};

Exceptions& exceptions() {
  static Exceptions e;
  return e;
}

// The Python class for a hyperpush::Error. An error only some ranks raised cannot be raised on the
// others, which wait in a collective: as the CLI does, the job ends (MPI_Abort).
PyObject* python_class_of(const hyperpush::Error& e) {
  if (!e.collective() && world(MPI_Comm_size) > 1) {
    std::fprintf(stderr, "hyperpush: error: %s\n", e.what());
    MPI_Abort(MPI_COMM_WORLD, e.exit_code());
  }
  const Exceptions& x = exceptions();
  if (dynamic_cast<const hyperpush::ConfigError*>(&e)) return x.config.ptr();
  switch (e.exit_code()) {
    case hyperpush::kExitDiverged:
      return x.divergence.ptr();
    case hyperpush::kExitDeadPeer:
      return x.peer.ptr();
    case hyperpush::kExitPreempted:
      return x.preempted.ptr();
    default:
      return x.data.ptr();
  }
}

py::object exception_class(py::module_& m, const char* name, py::handle base, const char* doc) {
  py::object cls = py::reinterpret_steal<py::object>(
      PyErr_NewExceptionWithDoc((std::string("hyperpush.") + name).c_str(), doc, base.ptr(), nullptr));
  m.attr(name) = cls;
  return cls;
}

}  // namespace

PYBIND11_MODULE(_hyperpush, m) {
  m.doc() = "hyperpush's C++ core (use the hyperpush package)";
  start_mpi();
  py::module_::import("atexit").attr("register")(py::cpp_function(end_mpi));
  hyperpush::app::pin_library_threads(1);  // as the CLI: sums that do not depend on the machine

  Exceptions& x = exceptions();
  x.base = exception_class(m, "Error", PyExc_RuntimeError, "A hyperpush run could not go on.");
  x.config = exception_class(m, "ConfigError", x.base, "The config: its file, a key or a value.");
  x.data = exception_class(m, "DataError", x.base,
                           "Other bad input: a data, schedule or model file, a set-up check.");
  x.divergence = exception_class(m, "DivergenceError", x.base,
                                 "A run diverged or did not converge where it had to.");
  x.peer = exception_class(m, "PeerError", x.base, "A peer rank died or stalled.");
  x.preempted = exception_class(m, "Preempted", x.base, "Preempted; a checkpoint was written.");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const hyperpush::Error& e) {
      PyErr_SetString(python_class_of(e), e.what());
    }
  });

  m.def("rank", [] { return world(MPI_Comm_rank); }, "This process's MPI rank.");
  m.def("ranks", [] { return world(MPI_Comm_size); }, "The job's MPI ranks.");
  m.def("run_files", &hyperpush::app::run_files, py::arg("config"), py::arg("overrides"),
        py::arg("out"), "Runs a config's task; its result files by name.");
  m.def("topology_json", &hyperpush::app::topology_json, py::arg("config"), py::arg("overrides"),
        py::arg("rounds"), "`hyperpush topology`'s analysis as JSON text.");
  m.def(
      "mixing_matrices",
      [](const std::string& config, const std::vector<std::string>& overrides, std::int64_t t0,
         std::int64_t t1) {
        py::list out;
        for (auto& p : hyperpush::app::mixing_matrices(config, overrides, t0, t1)) {
          const auto n = static_cast<py::ssize_t>(std::llround(std::sqrt(p.size())));
          py::array_t<double> a({n, n});
          std::copy(p.begin(), p.end(), a.mutable_data());
          out.append(a);
        }
        return out;
      },
      py::arg("config"), py::arg("overrides"), py::arg("t0"), py::arg("t1"),
      "The column-stochastic mixing matrix of each round in [t0, t1).");
  m.def(
      "push_sum",
      [](const std::string& config, const std::vector<std::string>& overrides,
         const py::array_t<double, py::array::c_style | py::array::forcecast>& values,
         std::int64_t rounds) {
        if (values.ndim() != 2)
          throw hyperpush::Error("push_sum: values must be a 2-D array (agents × d), got " +
                                     std::to_string(values.ndim()) + " dimensions",
                                 hyperpush::kExitBadInput, true);
        const auto n = values.shape(0), d = values.shape(1);
        const std::vector<double> rows(values.data(), values.data() + n * d);
        const auto out = hyperpush::app::push_sum_rows(config, overrides, rows,
                                                       static_cast<int>(d), rounds);
        py::array_t<double> a({n, d});
        std::copy(out.begin(), out.end(), a.mutable_data());
        return a;
      },
      py::arg("config"), py::arg("overrides"), py::arg("values"), py::arg("rounds"),
      "Push-sum averaging of the rows over the config's schedule: every agent's estimate.");
}
