#!/usr/bin/env python3
"""Where one training step of a PyTorch twin spends its time, for the side-by-side with bench/step-profile.sh:
"simple" is vae.py (the model of TrainingBenchmark's overrides: unconditional, Bernoulli, no discriminator, no
boundary head), "default" is vae_default.py (conf/application.conf's model: bench/step-profile.sh without
overrides); minibatch 32. torch.profiler's self CPU time per operator, summed into the parts StepProfile
reports. Prints a Markdown table.

    python3 bench/peer/profile.py [THREADS] [STEPS] [simple|default]        (defaults 1, 30, simple)
"""
import os
import sys
import time

import torch
from torch.profiler import ProfilerActivity, profile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vae  # noqa: E402
import vae_default  # noqa: E402

# Operator name fragments, first match wins; the rest of the step is "other".
PARTS = [
    ("convolution backward", ("convolution_backward", "ConvolutionBackward")),
    ("convolution forward", ("convolution", "conv2d")),
    ("pixel shuffle (forward and backward)", ("pixel_shuffle", "pixel_unshuffle", "PixelShuffle")),
    ("leaky ReLU (forward and backward)", ("leaky_relu", "LeakyRelu")),
    ("updater (Adam)", ("Optimizer.step", "addcdiv", "sqrt", "lerp", "_foreach")),
    # The default twin: its softmax cross-entropies, its depth-to-space (a permute and a copy) and class tiling.
    ("softmax, log-softmax, sigmoid and cross-entropies", ("softmax", "sigmoid", "binary_cross_entropy", "gather",
                                                          "Softmax", "Sigmoid", "BinaryCrossEntropy", "Gather")),
    ("copies, permutes and concatenations (depth-to-space, class maps)", ("copy_", "clone", "permute", "reshape",
                                                                         "cat", "Cat", "expand", "view")),
]


def part(name):
    for label, fragments in PARTS:
        if any(f in name for f in fragments):
            return label
    return "other (loss, KL, reparameterisation, autograd and tensor bookkeeping)"


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    which = sys.argv[3] if len(sys.argv) > 3 else "simple"
    if which not in ("simple", "default"):
        sys.exit("profile.py: the model must be simple or default, got " + which)
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    twin = vae if which == "simple" else vae_default
    model = twin.Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(twin.BATCH, 1, twin.RES, twin.RES)
    one_hot = torch.nn.functional.one_hot(torch.arange(twin.BATCH) % 4, 4).float()

    def loss():
        return model.loss(x) if which == "simple" else sum(model.loss(x, one_hot))

    def step():
        opt.zero_grad()
        loss().backward()
        opt.step()

    for _ in range(10):
        step()  # warm-up: oneDNN primitives, allocator
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    ms = (time.perf_counter() - t0) / steps * 1000
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step()
    totals = {}
    for e in prof.key_averages():
        totals[part(e.key)] = totals.get(part(e.key), 0.0) + e.self_cpu_time_total
    profiled = sum(totals.values())
    print("PyTorch %s, %s model, minibatch %d, %d threads: %.1f ms per step (%.0f images/s)\n"
          % (torch.__version__, which, twin.BATCH, threads, ms, twin.BATCH * 1000 / ms))
    print("| part of the step | share | ms per step |")
    print("|---|---:|---:|")
    for label, us in sorted(totals.items(), key=lambda kv: -kv[1]):
        # Shares of the profiled time, scaled to the unprofiled step time.
        print("| %s | %.1f %% | %.1f |" % (label, 100 * us / profiled, ms * us / profiled))


if __name__ == "__main__":
    main()
