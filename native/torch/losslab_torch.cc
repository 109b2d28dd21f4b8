// Loss Lab's native engine: the TensorFlow.js kernels our training uses, on libtorch (ATen).
//
// Tensors live in a table of at::Tensor slots; JavaScript holds slot ids (numbers). Every op
// returns a new slot id and writes the result's dtype and shape into a shared Int32Array
// (`meta`: [dtype, rank, d0, d1, ...]) so that no JS object is allocated per call.
// Layout: TensorFlow.js is NHWC with HWIO filters; ATen's convolution, pooling and batch norm
// take NCHW, so they get permuted views (channels-last NCHW, which oneDNN and cuDNN run
// natively) and their results are permuted back, without copies.
// Every entry point runs in c10::InferenceMode: no autograd bookkeeping (tfjs owns gradients).
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/impl/alloc_cpu.h>
#include <torch/version.h>
#include <napi.h>
// Built against a libtorch with CUDA (nativeBuild.ts defines it when libtorch_cuda and the CUDA
// runtime are there): the GPU's name and memory, and a device-wide synchronize. The CUDA runtime's
// own C API rather than ATen's CUDA headers: those also need cuBLAS, cuSPARSE and cuSOLVER headers,
// which neither a pip install nor a bare toolkit always has.
#ifdef LOSSLAB_WITH_CUDA
#include <cuda_runtime_api.h>
#endif

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

std::vector<at::Tensor> slots;
std::vector<int32_t> freeSlots;
int64_t liveTensors = 0;
int32_t* meta = nullptr;
constexpr int kMaxRank = 8;
Napi::Reference<Napi::Int32Array> metaRef;
at::Device device = at::kCPU;

// Max pooling's argmax per output slot, kept from the forward pass for its gradient (as PyTorch's
// autograd saves them) instead of pooling again there; dropped when the output's slot is freed.
struct PoolIndices {
  at::Tensor x;  // the pooled input, so that a gradient for another input never uses them
  at::Tensor indices;
};
std::unordered_map<int32_t, PoolIndices> poolIndices;

// dtype codes shared with JavaScript (torchNative.ts): float32, int32, bool.
at::ScalarType scalarType(int code) {
  switch (code) {
    case 0: return at::kFloat;
    case 1: return at::kInt;
    case 2: return at::kBool;
  }
  throw std::runtime_error("unknown dtype code " + std::to_string(code));
}

int dtypeCode(at::ScalarType s) {
  switch (s) {
    case at::kFloat: return 0;
    case at::kInt: return 1;
    case at::kBool: return 2;
    default: throw std::runtime_error(std::string("unsupported result dtype ") + c10::toString(s));
  }
}

// TensorFlow.js knows float32, int32 and bool: ATen's wider results (int64 indices and sums,
// float64) are narrowed to those.
at::Tensor narrowDtype(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat: case at::kInt: case at::kBool: return t;
    case at::kLong: case at::kShort: case at::kChar: case at::kByte: return t.to(at::kInt);
    case at::kDouble: case at::kHalf: case at::kBFloat16: return t.to(at::kFloat);
    default: throw std::runtime_error(std::string("unsupported dtype ") + c10::toString(t.scalar_type()));
  }
}

void describe(const at::Tensor& t) {
  if (t.dim() > kMaxRank) throw std::runtime_error("rank above 8 is not supported");
  meta[0] = dtypeCode(t.scalar_type());
  meta[1] = static_cast<int32_t>(t.dim());
  for (int64_t i = 0; i < t.dim(); i++) meta[2 + i] = static_cast<int32_t>(t.size(i));
}

int32_t put(const at::Tensor& raw) {
  at::Tensor t = narrowDtype(raw);
  describe(t);
  int32_t id;
  if (!freeSlots.empty()) {
    id = freeSlots.back();
    freeSlots.pop_back();
    slots[id] = t;
  } else {
    id = static_cast<int32_t>(slots.size());
    slots.push_back(t);
  }
  liveTensors++;
  return id;
}

at::Tensor& get(const Napi::Value& v) {
  int32_t id = v.As<Napi::Number>().Int32Value();
  if (id < 0 || id >= static_cast<int32_t>(slots.size()) || !slots[id].defined()) {
    throw std::runtime_error("invalid tensor id " + std::to_string(id));
  }
  return slots[id];
}

// An optional tensor argument: -1 means absent.
at::Tensor getOptional(const Napi::Value& v) {
  if (v.As<Napi::Number>().Int32Value() < 0) return at::Tensor();
  return get(v);
}

std::vector<int64_t> ints(const Napi::Value& v) {
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) out[i] = a.Get(i).As<Napi::Number>().Int64Value();
  return out;
}

double num(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }
int32_t int32(const Napi::Value& v) { return v.As<Napi::Number>().Int32Value(); }

Napi::Value id(Napi::Env env, const at::Tensor& t) { return Napi::Number::New(env, put(t)); }

Napi::Value ids(Napi::Env env, const std::vector<at::Tensor>& ts) {
  Napi::Array a = Napi::Array::New(env, ts.size());
  for (size_t i = 0; i < ts.size(); i++) a.Set(i, Napi::Number::New(env, put(ts[i])));
  return a;
}

// Runs `f` in inference mode and turns C++ errors into JavaScript ones (first line only:
// ATen's messages carry a C++ backtrace below it).
template <typename F>
Napi::Value guarded(const Napi::CallbackInfo& info, F f) {
  try {
    c10::InferenceMode inference;
    return f(info.Env());
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Napi::Error::New(info.Env(), e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
}

#define ENTRY(name) Napi::Value name(const Napi::CallbackInfo& info) { return guarded(info, [&](Napi::Env env) -> Napi::Value
#define END ); }

// ---- layout helpers -------------------------------------------------------------------------
// Channel-last (N, ..., C) as a channel-first view (N, C, ...) and back.
at::Tensor channelsFirst(const at::Tensor& x) { return x.dim() <= 2 ? x : x.movedim(-1, 1); }
at::Tensor channelsLast(const at::Tensor& y) { return y.dim() <= 2 ? y : y.movedim(1, -1); }
// HWIO filter as OIHW.
at::Tensor oihw(const at::Tensor& w) { return w.permute({3, 2, 0, 1}); }

struct Window {
  std::vector<int64_t> stride, dilation, pads;  // pads: top, bottom, left, right
  bool symmetric() const { return pads[0] == pads[1] && pads[2] == pads[3]; }
  std::vector<int64_t> padding() const { return symmetric() ? std::vector<int64_t>{pads[0], pads[2]} : std::vector<int64_t>{0, 0}; }
};

Window window(const Napi::Value& strides, const Napi::Value& pads, const Napi::Value& dilations) {
  return Window{ints(strides), ints(dilations), ints(pads)};
}

// Explicit padding of an NCHW tensor when it is asymmetric (ATen's convolution pads symmetrically).
at::Tensor padAsym(const at::Tensor& x, const Window& w, double value = 0) {
  if (w.symmetric()) return x;
  return at::constant_pad_nd(x, {w.pads[2], w.pads[3], w.pads[0], w.pads[1]}, value);
}

// ---- host memory ------------------------------------------------------------------------------
// A training step allocates the same tensor sizes every step. ATen's default CPU allocator hands
// large blocks back to the OS (glibc maps them), so every step pays a page fault per 4 KiB of
// each fresh activation: measured on a 2-core VM, 5× the whole step. Like PyTorch's CUDA caching
// allocator (and TensorFlow's BFC allocator) this one keeps freed large blocks by size and hands
// them out again. Small blocks go straight to malloc, which already reuses them.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
#define LOSSLAB_ALLOC_CONST
#else
#define LOSSLAB_ALLOC_CONST const
#endif

class CachingCpuAllocator final : public at::Allocator {
 public:
  static constexpr size_t kLarge = 64 * 1024;

  at::DataPtr allocate(size_t n) LOSSLAB_ALLOC_CONST override {
    size_t size = n < kLarge ? n : (n + 4095) / 4096 * 4096;
    void* p = size >= kLarge ? take(size) : nullptr;
    if (!p) {
      p = c10::alloc_cpu(size);
      if (size >= kLarge) {
        std::lock_guard<std::mutex> lock(mutex());
        sizes()[p] = size;
      }
    }
    return {p, p, &release, at::Device(at::DeviceType::CPU)};
  }

  at::DeleterFnPtr raw_deleter() const override { return &release; }

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3)
  void copy_data(void* dest, const void* src, std::size_t count) const override { std::memcpy(dest, src, count); }
#endif

  /** Bytes kept for reuse, at most. */
  static size_t& limit() { static size_t bytes = size_t(2) << 30; return bytes; }
  static size_t& cached() { static size_t bytes = 0; return bytes; }

 private:
  static std::mutex& mutex() { static std::mutex m; return m; }
  static std::unordered_map<void*, size_t>& sizes() { static std::unordered_map<void*, size_t> m; return m; }
  static std::unordered_map<size_t, std::vector<void*>>& pool() { static std::unordered_map<size_t, std::vector<void*>> m; return m; }

  static void* take(size_t size) {
    std::lock_guard<std::mutex> lock(mutex());
    auto it = pool().find(size);
    if (it == pool().end() || it->second.empty()) return nullptr;
    void* p = it->second.back();
    it->second.pop_back();
    cached() -= size;
    return p;
  }

  static void release(void* p) {
    if (!p) return;
    {
      std::lock_guard<std::mutex> lock(mutex());
      auto it = sizes().find(p);
      if (it != sizes().end()) {
        if (cached() + it->second <= limit()) {
          pool()[it->second].push_back(p);
          cached() += it->second;
          return;
        }
        sizes().erase(it);
      }
    }
    c10::free_cpu(p);
  }
};

CachingCpuAllocator cachingAllocator;

// ---- storage ----------------------------------------------------------------------------------

ENTRY(init) {
  meta = info[0].As<Napi::Int32Array>().Data();
  metaRef = Napi::Persistent(info[0].As<Napi::Int32Array>());
  int threads = int32(info[1]);
  std::string want = info[2].As<Napi::String>().Utf8Value();
  if (threads > 0) at::set_num_threads(threads);
  double cacheMiB = info.Length() > 3 ? num(info[3]) : -1;
  if (cacheMiB != 0) {
    if (cacheMiB > 0) CachingCpuAllocator::limit() = static_cast<size_t>(cacheMiB * 1024 * 1024);
    c10::SetCPUAllocator(&cachingAllocator, /*priority=*/1);
  }
  bool cuda = at::hasCUDA();
  bool mps = at::hasMPS();
  int64_t gpus = cuda ? static_cast<int64_t>(at::getNumGPUs()) : 0;
  // want: auto, cpu, mps, cuda or cuda:N (checked by the caller, registerTorch.ts).
  if (want.rfind("cuda", 0) == 0 || (want == "auto" && cuda)) {
    if (!cuda) throw std::runtime_error("this libtorch has no usable CUDA device");
    int64_t index = want.size() > 5 ? std::stoll(want.substr(5)) : 0;
    if (index >= gpus) throw std::runtime_error("cuda:" + std::to_string(index) + " does not exist: this machine has " + std::to_string(gpus) + " CUDA device(s)");
    device = at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
  } else if (want == "mps" || (want == "auto" && mps)) {
    if (!mps) throw std::runtime_error("this libtorch has no usable MPS (Apple GPU) device");
    device = at::Device(at::kMPS);
  } else {
    device = at::kCPU;
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("torchVersion", TORCH_VERSION);
  o.Set("device", device.str());
  o.Set("cuda", cuda);
  o.Set("cudaDevices", static_cast<double>(gpus));
  o.Set("mps", mps);
  o.Set("cudnnVersion", cuda && at::globalContext().hasCuDNN() ? static_cast<double>(at::globalContext().versionCuDNN()) : 0.0);
#ifdef LOSSLAB_WITH_CUDA
  o.Set("cudaBuilt", true);
  if (device.is_cuda()) {
    // cuDNN picks its fastest algorithm per shape, as PyTorch does with cudnn.benchmark: our shapes are fixed.
    at::globalContext().setBenchmarkCuDNN(true);
    // Work this thread starts without a device guard (allocations, synchronize) goes to the chosen GPU.
    cudaSetDevice(device.index());
    cudaDeviceProp p;
    if (cudaGetDeviceProperties(&p, device.index()) == cudaSuccess) {
      o.Set("deviceName", std::string(p.name));
      o.Set("deviceMemoryBytes", static_cast<double>(p.totalGlobalMem));
    }
  }
#else
  o.Set("cudaBuilt", false);
#endif
  o.Set("threads", at::get_num_threads());
  return o;
} END

ENTRY(fromBuffer) {
  Napi::TypedArray src = info[0].As<Napi::TypedArray>();
  std::vector<int64_t> shape = ints(info[1]);
  at::ScalarType st = scalarType(int32(info[2]));
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(st));
  size_t bytes = t.numel() * t.element_size();
  if (src.ByteLength() != bytes) {
    throw std::runtime_error("fromBuffer: " + std::to_string(src.ByteLength()) + " bytes for a tensor of " + std::to_string(bytes));
  }
  if (bytes) std::memcpy(t.data_ptr(), static_cast<uint8_t*>(src.ArrayBuffer().Data()) + src.ByteOffset(), bytes);
  return id(env, device.is_cpu() ? t : t.to(device));
} END

ENTRY(toBuffer) {
  at::Tensor t = get(info[0]).to(at::kCPU).contiguous();
  size_t bytes = t.numel() * t.element_size();
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, bytes);
  if (bytes) std::memcpy(buf.Data(), t.data_ptr(), bytes);
  switch (t.scalar_type()) {
    case at::kFloat: return Napi::Float32Array::New(env, t.numel(), buf, 0);
    case at::kInt: return Napi::Int32Array::New(env, t.numel(), buf, 0);
    default: return Napi::Uint8Array::New(env, t.numel(), buf, 0);
  }
} END

ENTRY(free) {
  int32_t i = int32(info[0]);
  if (i >= 0 && i < static_cast<int32_t>(slots.size()) && slots[i].defined()) {
    slots[i] = at::Tensor();
    poolIndices.erase(i);
    freeSlots.push_back(i);
    liveTensors--;
  }
  return env.Undefined();
} END

ENTRY(liveCount) { return Napi::Number::New(env, static_cast<double>(liveTensors)); } END
ENTRY(cachedBytes) { return Napi::Number::New(env, static_cast<double>(CachingCpuAllocator::cached())); } END

ENTRY(describeTensor) {
  describe(get(info[0]));
  return env.Undefined();
} END

// ---- element-wise -----------------------------------------------------------------------------
// The op lists are exported so that JavaScript maps kernel names to these codes from one place.
const char* kUnary[] = {"Abs", "Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "Ceil", "Cos", "Cosh", "Elu", "Erf",
                        "Exp", "Expm1", "Floor", "IsFinite", "IsInf", "IsNan", "Log", "Log1p", "LogicalNot", "Neg",
                        "Reciprocal", "Relu", "Relu6", "Round", "Rsqrt", "Selu", "Sigmoid", "Sign", "Sin", "Sinh",
                        "Softplus", "Sqrt", "Square", "Tan", "Tanh", "Step", "LeakyRelu"};
const char* kBinary[] = {"Add", "Sub", "Multiply", "RealDiv", "FloorDiv", "Maximum", "Minimum", "Pow",
                         "SquaredDifference", "Mod", "Atan2", "Equal", "NotEqual", "Greater", "GreaterEqual",
                         "Less", "LessEqual", "LogicalAnd", "LogicalOr", "Prelu"};
const char* kReduce[] = {"Sum", "Mean", "Max", "Min", "Prod", "All", "Any"};

at::Tensor unaryOp(int op, const at::Tensor& x, double alpha) {
  switch (op) {
    case 0: return at::abs(x);
    case 1: return at::acos(x);
    case 2: return at::acosh(x);
    case 3: return at::asin(x);
    case 4: return at::asinh(x);
    case 5: return at::atan(x);
    case 6: return at::atanh(x);
    case 7: return at::ceil(x);
    case 8: return at::cos(x);
    case 9: return at::cosh(x);
    case 10: return at::elu(x);
    case 11: return at::erf(x);
    case 12: return at::exp(x);
    case 13: return at::expm1(x);
    case 14: return at::floor(x);
    case 15: return at::isfinite(x);
    case 16: return at::isinf(x);
    case 17: return at::isnan(x);
    case 18: return at::log(x);
    case 19: return at::log1p(x);
    case 20: return at::logical_not(x);
    case 21: return at::neg(x);
    case 22: return at::reciprocal(x);
    case 23: return at::relu(x);
    case 24: return at::clamp(x, 0, 6);
    case 25: return at::round(x);
    case 26: return at::rsqrt(x);
    case 27: return at::selu(x);
    case 28: return at::sigmoid(x);
    case 29: return at::sign(x);
    case 30: return at::sin(x);
    case 31: return at::sinh(x);
    case 32: return at::softplus(x);
    case 33: return at::sqrt(x);
    case 34: return at::square(x);
    case 35: return at::tan(x);
    case 36: return at::tanh(x);
    case 37: {  // tfjs Step: 1 where x > 0, alpha elsewhere, NaN stays NaN
      if (alpha == 0) return at::heaviside(x, at::zeros({}, x.options()));  // one pass (ReLU's gradient)
      at::Tensor s = at::where(x > 0, at::scalar_tensor(1, x.options()), at::scalar_tensor(alpha, x.options()));
      return at::where(at::isnan(x), x, s);
    }
    case 38: return at::leaky_relu(x, alpha);
  }
  throw std::runtime_error("unknown unary op " + std::to_string(op));
}

at::Tensor binaryOp(int op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case 0: return at::add(a, b);
    case 1: return at::sub(a, b);
    case 2: return at::mul(a, b);
    case 3: return at::div(a, b);
    case 4: return at::div(a, b, "floor");
    case 5: return at::maximum(a, b);
    case 6: return at::minimum(a, b);
    case 7: return at::pow(a, b);
    case 8: { at::Tensor d = at::sub(a, b); return at::mul(d, d); }
    case 9: return at::remainder(a, b);
    case 10: return at::atan2(a, b);
    case 11: return at::eq(a, b);
    case 12: return at::ne(a, b);
    case 13: return at::gt(a, b);
    case 14: return at::ge(a, b);
    case 15: return at::lt(a, b);
    case 16: return at::le(a, b);
    case 17: return at::logical_and(a, b);
    case 18: return at::logical_or(a, b);
    case 19: return at::where(a < 0, at::mul(a, b), a);
  }
  throw std::runtime_error("unknown binary op " + std::to_string(op));
}

ENTRY(unary) { return id(env, unaryOp(int32(info[0]), get(info[1]), info.Length() > 2 ? num(info[2]) : 0)); } END
ENTRY(binary) { return id(env, binaryOp(int32(info[0]), get(info[1]), get(info[2]))); } END

// o = d · (v > 0 ? 1 : +0). Written with SSE where there is SSE: GCC at -O2 leaves the plain loop
// scalar and branching, about 2× slower than the two vectorised ATen kernels it replaces.
void reluGradLoop(const float* d, const float* v, float* o, int64_t i, int64_t end) {
#ifdef __SSE2__
  const __m128 zero = _mm_setzero_ps(), one = _mm_set1_ps(1.0f);
  for (; i + 4 <= end; i += 4) {
    __m128 step = _mm_and_ps(_mm_cmpgt_ps(_mm_loadu_ps(v + i), zero), one);  // NaN compares false: +0
    _mm_storeu_ps(o + i, _mm_mul_ps(_mm_loadu_ps(d + i), step));
  }
#endif
  for (; i < end; i++) o[i] = d[i] * (v[i] > 0 ? 1.0f : 0.0f);
}

constexpr int64_t kElementwiseGrain = 32768;  // ATen's own grain for element-wise loops

// TensorFlow.js' ReLU gradient, dy · step(x), in one pass instead of Step then Multiply. Step's
// heaviside(x, 0) is 1 for x > 0 and 0 elsewhere (NaN included), and the product is the same
// IEEE multiply, so the result is bit for bit the two kernels' (layout too: dy's and x's strides,
// which TensorIterator would also give the product). Other dtypes, devices or layouts take the
// two kernels themselves.
ENTRY(reluGrad) {
  at::Tensor dy = get(info[0]), x = get(info[1]);
  bool onePass = device.is_cpu() && dy.scalar_type() == at::kFloat && x.scalar_type() == at::kFloat && dy.sizes() == x.sizes() &&
                 dy.strides() == x.strides() && x.is_non_overlapping_and_dense();
  if (!onePass) return id(env, at::mul(dy, at::heaviside(x, at::zeros({}, x.options()))));
  at::Tensor out = at::empty_strided(x.sizes(), x.strides(), x.options());
  const float* d = dy.data_ptr<float>();
  const float* v = x.data_ptr<float>();
  float* o = out.data_ptr<float>();
  at::parallel_for(0, x.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) { reluGradLoop(d, v, o, begin, end); });
  return id(env, out);
} END

ENTRY(addN) {
  Napi::Array a = info[0].As<Napi::Array>();
  at::Tensor sum = get(a.Get(0u)).clone();
  for (uint32_t i = 1; i < a.Length(); i++) sum.add_(get(a.Get(i)));
  return id(env, sum);
} END

ENTRY(cast) { return id(env, get(info[0]).to(scalarType(int32(info[1])))); } END
ENTRY(clip) { return id(env, at::clamp(get(info[0]), num(info[1]), num(info[2]))); } END
ENTRY(fill) {
  return id(env, at::full(ints(info[0]), num(info[1]), at::TensorOptions().dtype(scalarType(int32(info[2]))).device(device)));
} END

ENTRY(select) {
  return id(env, at::where(get(info[0]).to(at::kBool), get(info[1]), get(info[2])));
} END

// ---- shape ------------------------------------------------------------------------------------

ENTRY(reshape) { return id(env, get(info[0]).reshape(ints(info[1]))); } END
ENTRY(permute) { return id(env, get(info[0]).permute(ints(info[1]))); } END
ENTRY(slice) {
  at::Tensor t = get(info[0]);
  std::vector<int64_t> begin = ints(info[1]), size = ints(info[2]);
  for (size_t d = 0; d < begin.size(); d++) t = t.narrow(d, begin[d], size[d]);
  return id(env, t);
} END
ENTRY(concat) {
  Napi::Array a = info[0].As<Napi::Array>();
  std::vector<at::Tensor> parts;
  for (uint32_t i = 0; i < a.Length(); i++) parts.push_back(get(a.Get(i)));
  return id(env, at::cat(parts, int32(info[1])));
} END
ENTRY(pad) {
  at::Tensor t = get(info[0]);
  std::vector<int64_t> p = ints(info[1]);  // [before0, after0, before1, after1, ...]
  std::vector<int64_t> torchOrder;          // last dimension first
  for (int64_t d = t.dim() - 1; d >= 0; d--) {
    torchOrder.push_back(p[2 * d]);
    torchOrder.push_back(p[2 * d + 1]);
  }
  return id(env, at::constant_pad_nd(t, torchOrder, num(info[2])));
} END
ENTRY(tile) { return id(env, get(info[0]).repeat(ints(info[1]))); } END
ENTRY(reverse) { return id(env, at::flip(get(info[0]), ints(info[1]))); } END

// ---- reductions -------------------------------------------------------------------------------

ENTRY(reduce) {
  int op = int32(info[0]);
  at::Tensor x = get(info[1]);
  std::vector<int64_t> axes = ints(info[2]);
  bool keep = info[3].As<Napi::Boolean>().Value();
  if (axes.empty()) return id(env, op >= 5 ? x.to(at::kBool) : x.clone());  // ATen would reduce everything
  switch (op) {
    case 0: return id(env, at::sum(x, axes, keep));
    case 1: return id(env, at::mean(x.is_floating_point() ? x : x.to(at::kFloat), axes, keep));
    case 2: return id(env, at::amax(x, axes, keep));
    case 3: return id(env, at::amin(x, axes, keep));
  }
  // Single-axis reductions: highest axis first so the remaining indices stay valid.
  std::sort(axes.begin(), axes.end(), std::greater<int64_t>());
  for (int64_t a : axes) {
    if (op == 4) x = at::prod(x, a, keep);
    else if (op == 5) x = at::all(x, a, keep);
    else if (op == 6) x = at::any(x, a, keep);
    else throw std::runtime_error("unknown reduction " + std::to_string(op));
  }
  return id(env, x);
} END

ENTRY(argReduce) {
  bool isMax = info[0].As<Napi::Boolean>().Value();
  at::Tensor x = get(info[1]);
  int64_t axis = int32(info[2]);
  return id(env, isMax ? at::argmax(x, axis) : at::argmin(x, axis));
} END

ENTRY(softmax) { return id(env, at::softmax(get(info[0]), int32(info[1]))); } END

// ---- linear algebra and convolution -----------------------------------------------------------

ENTRY(matmul) {
  at::Tensor a = get(info[0]), b = get(info[1]);
  if (info[2].As<Napi::Boolean>().Value()) a = a.transpose(-1, -2);
  if (info[3].As<Napi::Boolean>().Value()) b = b.transpose(-1, -2);
  return id(env, at::matmul(a, b));
} END

// conv2d(x NHWC, w HWIO, strides, pads [t, b, l, r], dilations) → NHWC
ENTRY(conv2d) {
  Window w = window(info[2], info[3], info[4]);
  at::Tensor x = padAsym(channelsFirst(get(info[0])), w);
  at::Tensor y = at::conv2d(x, oihw(get(info[1])), {}, w.stride, w.padding(), w.dilation);
  return id(env, channelsLast(y));
} END

// The input's gradient: ATen's convolution backward with an uninitialised stand-in for the input,
// whose values the input gradient does not read (only its shape).
ENTRY(conv2dGradInput) {
  at::Tensor dy = channelsFirst(get(info[0]));
  at::Tensor filter = oihw(get(info[1]));
  std::vector<int64_t> in = ints(info[2]);  // NHWC
  Window w = window(info[3], info[4], info[5]);
  std::vector<int64_t> padded = {in[0], in[3], in[1], in[2]};
  if (!w.symmetric()) padded = {in[0], in[3], in[1] + w.pads[0] + w.pads[1], in[2] + w.pads[2] + w.pads[3]};
  at::Tensor standIn = at::empty(padded, dy.options().memory_format(dy.suggest_memory_format()));
  auto grads = at::convolution_backward(dy, standIn, filter, c10::nullopt, w.stride, w.padding(), w.dilation, false,
                                        {0, 0}, 1, {true, false, false});
  at::Tensor dx = std::get<0>(grads);
  if (!w.symmetric()) dx = dx.narrow(2, w.pads[0], in[1]).narrow(3, w.pads[2], in[2]);
  return id(env, channelsLast(dx));
} END

ENTRY(conv2dGradFilter) {
  Window w = window(info[3], info[4], info[5]);
  at::Tensor x = padAsym(channelsFirst(get(info[0])), w);
  at::Tensor dy = channelsFirst(get(info[1]));
  std::vector<int64_t> fs = ints(info[2]);  // HWIO
  at::Tensor standIn = at::empty({fs[3], fs[2], fs[0], fs[1]}, x.options());
  auto grads = at::convolution_backward(dy, x, standIn, c10::nullopt, w.stride, w.padding(), w.dilation, false, {0, 0}, 1,
                                        {false, true, false});
  return id(env, std::get<1>(grads).permute({2, 3, 1, 0}));
} END

// Pooling pads with −∞ explicitly (tfjs 'same' windows ignore the padding).
ENTRY(maxPool) {
  Window w = window(info[2], info[3], info[4]);
  std::vector<int64_t> k = ints(info[1]);
  at::Tensor input = get(info[0]);  // a copy: put() may move the slots
  at::Tensor x = channelsFirst(input);
  bool padded = w.pads[0] || w.pads[1] || w.pads[2] || w.pads[3];
  if (padded) {
    x = at::constant_pad_nd(x, {w.pads[2], w.pads[3], w.pads[0], w.pads[1]}, -std::numeric_limits<double>::infinity());
    return id(env, channelsLast(at::max_pool2d(x, k, w.stride, {0, 0}, w.dilation)));
  }
  // The same values and layout as max_pool2d; the indices spare the gradient a second pooling pass.
  auto pooled = at::max_pool2d_with_indices(x, k, w.stride, {0, 0}, w.dilation);
  int32_t out = put(channelsLast(std::get<0>(pooled)));
  poolIndices[out] = PoolIndices{input, std::get<1>(pooled)};
  return Napi::Number::New(env, out);
} END

// maxPoolGrad(dy, x, y, …): y's slot finds the forward pass's indices when it pooled this same x.
ENTRY(maxPoolGrad) {
  Window w = window(info[4], info[5], info[6]);
  std::vector<int64_t> k = ints(info[3]);
  at::Tensor dy = channelsFirst(get(info[0]));
  at::Tensor input = get(info[1]);
  at::Tensor x = channelsFirst(input);
  int64_t H = x.size(2), W = x.size(3);
  auto saved = poolIndices.find(int32(info[2]));
  if (saved != poolIndices.end() && saved->second.x.is_same(input)) {
    return id(env, channelsLast(at::max_pool2d_with_indices_backward(dy, x, k, w.stride, {0, 0}, w.dilation, false, saved->second.indices)));
  }
  bool padded = w.pads[0] || w.pads[1] || w.pads[2] || w.pads[3];
  if (padded) x = at::constant_pad_nd(x, {w.pads[2], w.pads[3], w.pads[0], w.pads[1]}, -std::numeric_limits<double>::infinity());
  auto pooled = at::max_pool2d_with_indices(x, k, w.stride, {0, 0}, w.dilation);
  at::Tensor dx = at::max_pool2d_with_indices_backward(dy, x, k, w.stride, {0, 0}, w.dilation, false, std::get<1>(pooled));
  if (padded) dx = dx.narrow(2, w.pads[0], H).narrow(3, w.pads[2], W);
  return id(env, channelsLast(dx));
} END

// ---- indexing ---------------------------------------------------------------------------------

ENTRY(oneHot) {
  at::Tensor idx = get(info[0]).to(at::kLong);
  int64_t depth = int32(info[1]);
  double on = num(info[2]), off = num(info[3]);
  at::Tensor valid = (idx >= 0).logical_and(idx < depth);  // tfjs: out-of-range rows are all off
  at::Tensor hot = at::one_hot(at::where(valid, idx, at::zeros_like(idx)), depth).mul(valid.unsqueeze(-1));
  at::Tensor out = hot.to(at::kFloat).mul(on - off).add(off);
  return id(env, out.to(scalarType(int32(info[4]))));
} END

ENTRY(gather) {
  at::Tensor x = get(info[0]);
  at::Tensor idx = get(info[1]);
  int64_t axis = int32(info[2]);
  at::Tensor picked = at::index_select(x, axis, idx.reshape({-1}).to(at::kLong));
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
  for (int64_t s : idx.sizes()) shape.push_back(s);
  for (int64_t d = axis + 1; d < x.dim(); d++) shape.push_back(x.size(d));
  return id(env, picked.reshape(shape));
} END

// ---- fused training kernels -------------------------------------------------------------------

// Batch norm over every axis but the last: y, batch mean, biased batch variance.
ENTRY(batchNormForward) {
  // NCHW-contiguous, PyTorch's default layout: ATen's channels-last batch norm sums each channel's
  // statistics in float across N·H·W (~1e-6 relative per layer, 7e-5 after ResNet-50's 53 layers),
  // where the NCHW kernel keeps PyTorch's own rounding (parity/ checks this against PyTorch).
  at::Tensor x = channelsFirst(get(info[0])).contiguous();
  at::Tensor gamma = getOptional(info[1]), beta = getOptional(info[2]);
  double eps = num(info[3]);
  // ATen's training-mode kernel computes the statistics and normalises in one fused pass (3–4×
  // faster than var_mean followed by an eval-mode batch norm). Running statistics with momentum 1
  // receive exactly this batch's unbiased variance, accumulated in double on the CPU as PyTorch's
  // own running_var is (recovering it from the returned 1/√(var + ε) loses ~1e-4 of what a step
  // adds to a running variance); the biased variance follows from it.
  int64_t channels = x.size(1), n = x.numel() / std::max<int64_t>(channels, 1);
  at::Tensor runMean = at::zeros({channels}, x.options()), runVar = at::zeros({channels}, x.options());
  auto r = at::native_batch_norm(x, gamma, beta, runMean, runVar, /*training=*/true, /*momentum=*/1.0, eps);
  at::Tensor mean = std::get<1>(r);
  at::Tensor var = n > 1 ? runVar.to(at::kDouble).mul(double(n - 1) / double(n)).to(at::kFloat) : at::zeros_like(runVar);
  return ids(env, {channelsLast(std::get<0>(r)), mean, var});
} END

// dx, Σ dy·x̂ and Σ dy per channel, from the saved batch statistics.
ENTRY(batchNormBackward) {
  at::Tensor dy = channelsFirst(get(info[0])).contiguous();  // NCHW, as in the forward pass
  at::Tensor x = channelsFirst(get(info[1])).contiguous();
  at::Tensor mean = get(info[2]), var = get(info[3]);
  at::Tensor gamma = getOptional(info[4]);
  double eps = num(info[5]);
  at::Tensor invstd = at::rsqrt(var + eps);
  auto g = at::native_batch_norm_backward(dy, x, gamma, {}, {}, mean, invstd, /*train=*/true, eps, {true, true, true});
  return ids(env, {channelsLast(std::get<0>(g)), std::get<1>(g), std::get<2>(g)});
} END

// torch.optim.SGD's update (dampening 0, no Nesterov) over all parameters in one call:
//   d = g + decay·w;  buf = momentum·buf + d;  w -= lr·buf
// In place where the storage is this tensor's alone; otherwise the slot gets a new tensor (a view
// shared with another tensor must not change under it).
void update(at::Tensor& slot, const at::Tensor& value) {
  if (slot.is_contiguous() && slot.storage().use_count() == 1) slot.copy_(value);
  else slot = value.clone();
}

ENTRY(sgdStep) {
  Napi::Array ws = info[0].As<Napi::Array>(), gs = info[1].As<Napi::Array>(), bs = info[2].As<Napi::Array>();
  double lr = num(info[3]), momentum = num(info[4]);
  Napi::Array decays = info[5].As<Napi::Array>();
  for (uint32_t i = 0; i < ws.Length(); i++) {
    at::Tensor& w = get(ws.Get(i));
    const at::Tensor& g = get(gs.Get(i));
    double decay = num(decays.Get(i));
    at::Tensor d = decay != 0 ? at::add(g, w, decay) : g;
    if (momentum != 0) {
      at::Tensor& buf = get(bs.Get(i));
      update(buf, at::add(d, buf, momentum));
      d = buf;
    }
    update(w, at::sub(w, d, lr));
  }
  return env.Undefined();
} END

// Waits for the device's queued kernels (a no-op on the CPU, where every op is synchronous): for timing.
ENTRY(synchronize) {
#ifdef LOSSLAB_WITH_CUDA
  if (device.is_cuda() && cudaDeviceSynchronize() != cudaSuccess) throw std::runtime_error(cudaGetErrorString(cudaGetLastError()));
#endif
  return env.Undefined();
} END

Napi::Array names(Napi::Env env, const char* const* list, size_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; i++) a.Set(i, list[i]);
  return a;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("unaryOps", names(env, kUnary, sizeof(kUnary) / sizeof(*kUnary)));
  exports.Set("binaryOps", names(env, kBinary, sizeof(kBinary) / sizeof(*kBinary)));
  exports.Set("reduceOps", names(env, kReduce, sizeof(kReduce) / sizeof(*kReduce)));
  exports.Set("torchVersion", TORCH_VERSION);
  // Set by the build from ADDON_API_VERSION (libtorch.ts): the loader refuses a build of another version.
  exports.Set("apiVersion", LOSSLAB_ADDON_API_VERSION);
#define EXPORT(f) exports.Set(#f, Napi::Function::New(env, f))
  EXPORT(init); EXPORT(fromBuffer); EXPORT(toBuffer); EXPORT(free); EXPORT(liveCount); EXPORT(cachedBytes); EXPORT(describeTensor);
  EXPORT(unary); EXPORT(binary); EXPORT(reluGrad); EXPORT(addN); EXPORT(cast); EXPORT(clip); EXPORT(fill); EXPORT(select);
  EXPORT(reshape); EXPORT(permute); EXPORT(slice); EXPORT(concat); EXPORT(pad); EXPORT(tile); EXPORT(reverse);
  EXPORT(reduce); EXPORT(argReduce); EXPORT(softmax); EXPORT(matmul);
  EXPORT(conv2d); EXPORT(conv2dGradInput); EXPORT(conv2dGradFilter); EXPORT(maxPool); EXPORT(maxPoolGrad);
  EXPORT(oneHot); EXPORT(gather); EXPORT(batchNormForward); EXPORT(batchNormBackward); EXPORT(sgdStep); EXPORT(synchronize);
#undef EXPORT
  return exports;
}

}  // namespace

NODE_API_MODULE(losslab_torch, Init)
