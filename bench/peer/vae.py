#!/usr/bin/env python3
"""The simple bench model of polyvae (TrainingBenchmark --model simple: unconditional, Bernoulli, neither
discriminator nor boundary head) in PyTorch, for bench/train.sh's first table; vae_default.py is the default
model's twin. Same layers (stride-2 3x3 encoder 16-32-64,
spatial 4-channel latent from 1x1 convolutions, pixel-shuffle decoder), same loss (Bernoulli
cross-entropy summed per image + KL), same batches (raw float32 exported by TrainingBenchmark), Adam 1e-3.
Prints one Markdown table row: images/s (epochs after the first), validation loss, and validation loss
after the wall-clock budget.

    python3 bench/peer/vae.py DIR EPOCHS BUDGET_SECONDS THREADS
"""
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RES, BATCH = 64, 32


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 16, 3, 2, 1), nn.LeakyReLU(0.01),
            nn.Conv2d(16, 32, 3, 2, 1), nn.LeakyReLU(0.01),
            nn.Conv2d(32, 64, 3, 2, 1), nn.LeakyReLU(0.01))
        self.mu = nn.Conv2d(64, 4, 1)
        self.logvar = nn.Conv2d(64, 4, 1)
        nn.init.constant_(self.logvar.bias, -4.0)
        self.dec = nn.Sequential(
            nn.Conv2d(4, 64, 3, 1, 1), nn.LeakyReLU(0.01),
            nn.Conv2d(64, 4 * 32, 3, 1, 1), nn.LeakyReLU(0.01), nn.PixelShuffle(2),
            nn.Conv2d(32, 4 * 16, 3, 1, 1), nn.LeakyReLU(0.01), nn.PixelShuffle(2),
            nn.Conv2d(16, 4, 3, 1, 1), nn.PixelShuffle(2))

    def loss(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.dec(z)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        kl = 0.5 * torch.sum(mu * mu + logvar.exp() - 1 - logvar) / x.shape[0]
        return rec + kl


def load(path):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(-1, 1, RES, RES))


def main():
    folder, epochs, budget, threads = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(12345)
    train, val = load(folder + "/train.f32"), load(folder + "/validation.f32")
    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    elapsed, rates, at_budget, val_loss = 0.0, [], float("nan"), float("nan")
    for epoch in range(1, epochs + 1):
        order = torch.randperm(train.shape[0])
        t0 = time.perf_counter()
        for i in range(0, train.shape[0], BATCH):
            opt.zero_grad()
            loss = model.loss(train[order[i:i + BATCH]])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - t0
        elapsed += seconds
        if epoch > 1:
            rates.append(train.shape[0] / seconds)
        with torch.no_grad():
            torch.manual_seed(0)
            val_loss = sum(model.loss(val[i:i + BATCH]).item() * val[i:i + BATCH].shape[0]
                           for i in range(0, val.shape[0], BATCH)) / val.shape[0]
        if elapsed <= budget:
            at_budget = val_loss
    print("| PyTorch %s, same architecture | %d | %.0f | %.1f | %.1f |" % (
        torch.__version__, threads, sum(rates) / max(len(rates), 1), val_loss, at_budget))


if __name__ == "__main__":
    main()
