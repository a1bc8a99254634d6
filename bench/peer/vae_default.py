#!/usr/bin/env python3
"""The default polyvae model (conf/application.conf, polyvae.model) in PyTorch, for bench/train.sh's second
table: the graph VaeArchitecture.vae() builds, layer for layer, with the same losses, initialisation, batches
(exported by TrainingBenchmark --mode export-raw) and optimiser (Adam 0.003, x0.95 per epoch).

  encoder   3x3 stride-2 convolutions 1-16-32-64 (leaky ReLU), the class one-hot tiled over the 8x8 map and
            joined to its channels, then 1x1 convolutions to mu and logvar (4 channels each)
  decoder   z (4x8x8) + class -> 3x3 conv to 64; per level the class joins the channels, a 3x3 conv makes 4x the
            channels at the low resolution and a depth-to-space doubles the side: 64+4 -> 4*32, 32+4 -> 4*16,
            16+4 -> 4*32 logits (32 gray levels); the boundary head is a 3x3 conv of that last input to 4 channels,
            shuffled to one logit per pixel
  losses    categorical cross-entropy over the 32 levels (softmax), summed over each image's pixels
            + Bernoulli cross-entropy of the boundary map, summed + beta (0.3) * KL
            + the patch discriminator's Bernoulli cross-entropy (adversarial-weight 3, see below)
  discriminator  the expected gray of the decoded levels through a gradient reversal (x -3 backward), and the
            image itself, each with the tiled class: 3x3 stride-2 convs 5-32-64-64, a stride-1 3x3 conv to 64,
            a 1x1 logit per patch (8x8 patches of 31 px); labels 0 for decoded, 1 for real.
  prior draws (adversarial-prior-draws = class-gaussian) the decoder also decodes, per image, a draw from the
            Gaussian of its class's codes in the minibatch (no gradient to the encoder); the discriminator sees
            them twice: detached with label 0, and with label 1 at loss weight 0.01 whose gradient into the
            decoder is scaled by adversarial-prior-weight / 0.01 (NonSaturatingDrawsVertex: the decoder's
            non-saturating term -log D on the draws).

The validation loss is stage train's (LossEvaluator): reconstruction + boundary + beta*KL per image, with z
sampled; the discriminator's loss is trained on but not part of it. Prints the parameter counts on stderr and
one Markdown table row on stdout: images/s (epochs after the first), validation loss after EPOCHS epochs and
after the wall-clock budget, as bench/peer/vae.py does.

    python3 bench/peer/vae_default.py DIR EPOCHS BUDGET_SECONDS THREADS
"""
import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RES, BATCH = 64, 32
CLASSES = 4                      # VaeArchitecture.CLASSES: 2, 3, 5, 10 um (the order of train-class.u8)
ENCODER = [16, 32, 64]           # polyvae.model.encoder-channels
LATENT = 4                       # latent-channels of the spatial code
LEVELS = 32                      # gray-levels of the categorical likelihood
BETA = 0.3
ADVERSARIAL_WEIGHT = 3.0
PRIOR_DRAWS = True               # adversarial-prior-draws = class-gaussian
PRIOR_WEIGHT = 1.0               # adversarial-prior-weight
DRAWS_SHARE = 0.01               # VaeArchitecture.DRAWS_DISCRIMINATOR_SHARE
DISCRIMINATOR = [32, 64, 64]     # ModelSettings.DISCRIMINATOR_CHANNELS
INITIAL_LOGVAR = -4.0            # VaeArchitecture.INITIAL_LOGVAR
JUMP = 12                        # GrainStatistics.REFERENCE_JUMP_THRESHOLD (grays of 255)
LEARNING_RATE, LR_DECAY = 0.003, 0.95
LEAKY = 0.01                     # DL4J's leaky ReLU slope
# DL4J's clipping of its loss functions' probabilities (LossBinaryXENT, LossMCXENT): it bounds each pixel's term.
BINARY_CLIP, SOFTMAX_CLIP = 1e-5, 1e-10


class Conv(nn.Module):
    """VaeArchitecture.conv: a convolution with ND4J's SAME padding (for stride 2 on an even side all the padding
    goes after the image, one row and one column, so the windows centre on the odd pixels), leaky ReLU and He
    initialisation when hidden; linear with Xavier initialisation (DL4J's: normal, variance 2 / (fan-in +
    fan-out)) for the output heads. Biases start at 0, logvar's at INITIAL_LOGVAR."""

    def __init__(self, n_in, n_out, kernel=3, stride=1, hidden=True, bias=0.0):
        super().__init__()
        # Stride 1 (odd kernel): SAME is symmetric and the convolution pads; stride 2: forward pads.
        self.conv = nn.Conv2d(n_in, n_out, kernel, stride, padding=(kernel - 1) // 2 if stride == 1 else 0)
        self.stride, self.kernel, self.hidden = stride, kernel, hidden
        fan_in, fan_out = n_in * kernel * kernel, n_out * kernel * kernel
        std = math.sqrt(2.0 / fan_in) if hidden else math.sqrt(2.0 / (fan_in + fan_out))
        with torch.no_grad():
            self.conv.weight.normal_(0.0, std)
            self.conv.bias.fill_(bias)

    def forward(self, x):
        if self.stride > 1:
            # libnd4j's SAME: (out - 1) * stride + kernel - side pixels of padding, the odd one after the image.
            side = x.shape[-1]
            total = max((-(-side // self.stride) - 1) * self.stride + self.kernel - side, 0)
            x = F.pad(x, (total // 2, total - total // 2, total // 2, total - total // 2))
        y = self.conv(x)
        return F.leaky_relu(y, LEAKY) if self.hidden else y


def depth_to_space(x, b=2):
    """DepthToSpaceVertex (PixelShuffle.java): input channel (by*b + bx)*C + c becomes pixel (y*b + by, x*b + bx)
    of output channel c. nn.PixelShuffle groups the channels the other way round (c*b*b + by*b + bx)."""
    n, cb, h, w = x.shape
    c = cb // (b * b)
    return x.view(n, b, b, c, h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c, h * b, w * b)


def with_class(x, one_hot):
    """VaeArchitecture.conditioned: the class one-hot tiled over the map (TileToMapVertex), after the channels."""
    n, _, h, w = x.shape
    return torch.cat([x, one_hot[:, :, None, None].expand(n, CLASSES, h, w)], 1)


class GradientScale(torch.autograd.Function):
    """A copy forward, weight x the gradient backward: GradientReversalVertex with weight -lambda, the second copy
    of the draws in NonSaturatingDrawsVertex with w / epsilon."""

    @staticmethod
    def forward(ctx, x, weight):
        ctx.weight = weight
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return ctx.weight * grad, None


def binary_xent(logits, target, weight=None):
    """LossBinaryXENT behind a sigmoid (CnnLossLayer): the probability clipped to [1e-5, 1 - 1e-5], summed, each
    element's term times weight (broadcast) when given."""
    p = torch.sigmoid(logits).clamp(BINARY_CLIP, 1 - BINARY_CLIP)
    return F.binary_cross_entropy(p, target, weight=weight, reduction="sum")


def class_gaussian_draws(mu, logvar, one_hot):
    """PriorDrawVertex (class-gaussian): per class among the rows, mean + W (mu - mean) / sqrt(k) + noise sd * eps,
    W and eps standard normal, from the codes flattened as DL4J's CnnToFeedForward flattens them."""
    n = mu.shape[0]
    flat_mu, flat_var = mu.reshape(n, -1), logvar.reshape(n, -1).exp()
    out = torch.randn_like(flat_mu)
    classes = one_hot.argmax(1)
    for c in classes.unique():
        rows = (classes == c).nonzero().squeeze(1)
        m = flat_mu[rows]
        mean = m.mean(0, keepdim=True)
        w = torch.randn(len(rows), len(rows)) / math.sqrt(len(rows))
        out[rows] = w @ (m - mean) + mean + out[rows] * flat_var[rows].mean(0, keepdim=True).sqrt()
    return out.view_as(mu)


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        chans = [1] + ENCODER
        self.enc = nn.ModuleList(Conv(chans[i], chans[i + 1], 3, 2) for i in range(len(ENCODER)))
        self.mu = Conv(ENCODER[-1] + CLASSES, LATENT, 1, hidden=False)
        self.logvar = Conv(ENCODER[-1] + CLASSES, LATENT, 1, hidden=False, bias=INITIAL_LOGVAR)
        self.dec_map = Conv(LATENT + CLASSES, ENCODER[-1])
        # Level i ends with encoder level L-2-i's channels; the last one with the gray levels' logits.
        levels = len(ENCODER)
        ups, n_in = [], ENCODER[-1]
        for i in range(levels):
            last = i == levels - 1
            n_out = LEVELS if last else ENCODER[levels - 2 - i]
            ups.append(Conv(n_in + CLASSES, 4 * n_out, hidden=not last))
            n_in = n_out
        self.dec_up = nn.ModuleList(ups)
        self.dec_boundary = Conv(ENCODER[0] + CLASSES, 4, hidden=False)
        d = [1 + CLASSES] + DISCRIMINATOR
        self.adv = nn.ModuleList(Conv(d[i], d[i + 1], 3, 2) for i in range(len(DISCRIMINATOR)))
        self.adv_context = Conv(DISCRIMINATOR[-1], 64)
        self.adv_logit = Conv(64, 1, 1, hidden=False)
        self.register_buffer("centres", (torch.arange(LEVELS, dtype=torch.float32) + 0.5).div(LEVELS)
                             .view(1, LEVELS, 1, 1))

    def discriminator_parameters(self):
        return [p for name, p in self.named_parameters() if name.startswith("adv")]

    def loss(self, x, one_hot, adversarial=True):
        """Per-image means of (reconstruction + boundary, beta*KL, discriminator cross-entropy)."""
        n = x.shape[0]
        # VaeBatches.levels: level k holds the grays in [k/K, (k+1)/K), gray 1 in the last.
        target = (x * LEVELS).floor().clamp(0, LEVELS - 1).long().squeeze(1)
        # VaeBatches.boundaries: a pixel whose right or lower neighbour differs by more than 12 of 255 grays
        # (GrainStatistics.level rounds 255 * gray).
        g255 = (x.clamp(0, 1) * 255 + 0.5).floor()
        boundary = torch.zeros_like(x)
        boundary[..., :, :-1] = ((g255[..., :, 1:] - g255[..., :, :-1]).abs() > JUMP).float()
        boundary[..., :-1, :] = torch.maximum(boundary[..., :-1, :],
                                              ((g255[..., 1:, :] - g255[..., :-1, :]).abs() > JUMP).float())
        h = x
        for conv in self.enc:
            h = conv(h)
        h = with_class(h, one_hot)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        draws = adversarial and PRIOR_DRAWS
        if draws:
            # One decoder pass over [images' codes | draws], the draws with the images' classes.
            z = torch.cat([z, class_gaussian_draws(mu.detach(), logvar.detach(), one_hot)], 0)
            h, boundary_logit = self.decode(z, torch.cat([one_hot, one_hot], 0))
            log_p_draws = F.log_softmax(h[n:], 1)
            h, boundary_logit = h[:n], boundary_logit[:n]
        else:
            h, boundary_logit = self.decode(z, one_hot)
        log_p = F.log_softmax(h, 1)
        # LossMCXENT: -log of the softmax clipped at 1e-10, summed over the pixels.
        rec = -log_p.gather(1, target.unsqueeze(1)).clamp(min=math.log(SOFTMAX_CLIP)).sum()
        rec = rec + binary_xent(boundary_logit, boundary)
        kl = BETA * 0.5 * torch.sum(mu * mu + logvar.exp() - 1 - logvar)
        adv = torch.zeros(())
        if adversarial:
            # ExpectedGrayVertex: the decoded image is the levels' expected gray.
            decoded = (log_p.exp() * self.centres).sum(1, keepdim=True)
            groups = [with_class(GradientScale.apply(decoded, -ADVERSARIAL_WEIGHT), one_hot)]
            labels, weights = [0.0], [1.0]
            if draws:
                decoded_draws = (log_p_draws.exp() * self.centres).sum(1, keepdim=True)
                groups += [with_class(decoded_draws.detach(), one_hot),
                           with_class(GradientScale.apply(decoded_draws, PRIOR_WEIGHT / DRAWS_SHARE), one_hot)]
                labels += [0.0, 1.0]
                weights += [1.0, DRAWS_SHARE]
            groups.append(with_class(x, one_hot))                 # BatchStackVertex: decoded rows, then real
            labels.append(1.0)
            weights.append(1.0)
            d = torch.cat(groups, 0)
            for conv in self.adv:
                d = conv(d)
            d = self.adv_logit(self.adv_context(d))
            shape = d.shape[1:]
            target = torch.cat([torch.full((n, *shape), y) for y in labels], 0)
            weight = torch.cat([torch.full((n, *shape), w) for w in weights], 0)
            adv = binary_xent(d, target, weight)
        return rec / n, kl / n, adv / n

    def decode(self, z, one_hot):
        """The gray levels' logits and the boundary logit of codes z."""
        h = self.dec_map(with_class(z, one_hot))
        boundary_logit = None
        for i, conv in enumerate(self.dec_up):
            h = with_class(h, one_hot)
            if i == len(self.dec_up) - 1:
                boundary_logit = depth_to_space(self.dec_boundary(h))
            h = depth_to_space(conv(h))
        return h, boundary_logit


def load(folder, split):
    images = torch.from_numpy(np.fromfile("%s/%s.f32" % (folder, split), dtype="<f4").reshape(-1, 1, RES, RES))
    classes = torch.from_numpy(np.fromfile("%s/%s-class.u8" % (folder, split), dtype=np.uint8).astype(np.int64))
    if classes.shape[0] != images.shape[0]:
        sys.exit("%s: %d images but %d classes (re-run TrainingBenchmark --mode export-raw)"
                 % (split, images.shape[0], classes.shape[0]))
    return images, F.one_hot(classes, CLASSES).float()


def main():
    folder, epochs, budget, threads = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(12345)
    (train, train_c), (val, val_c) = load(folder, "train"), load(folder, "validation")
    model = Vae()
    total = sum(p.numel() for p in model.parameters())
    disc = sum(p.numel() for p in model.discriminator_parameters())
    print("vae_default.py: %d parameters (%d VAE + %d discriminator)" % (total, total - disc, disc), file=sys.stderr)
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    elapsed, rates, at_budget, val_loss = 0.0, [], float("nan"), float("nan")
    for epoch in range(1, epochs + 1):
        # DL4J's ExponentialSchedule by epoch, counted from 0 for epoch 1.
        for group in opt.param_groups:
            group["lr"] = LEARNING_RATE * LR_DECAY ** (epoch - 1)
        order = torch.randperm(train.shape[0])
        t0 = time.perf_counter()
        for i in range(0, train.shape[0], BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad()
            rec, kl, adv = model.loss(train[idx], train_c[idx])
            (rec + kl + adv).backward()
            opt.step()
        seconds = time.perf_counter() - t0
        elapsed += seconds
        if epoch > 1:
            rates.append(train.shape[0] / seconds)
        with torch.no_grad():
            torch.manual_seed(0)
            val_loss = 0.0
            for i in range(0, val.shape[0], BATCH):
                rec, kl, _ = model.loss(val[i:i + BATCH], val_c[i:i + BATCH], adversarial=False)
                val_loss += (rec + kl).item() * val[i:i + BATCH].shape[0]
            val_loss /= val.shape[0]
        print("vae_default.py: epoch %d  %.1f s  validation %.1f" % (epoch, seconds, val_loss), file=sys.stderr)
        if elapsed <= budget:
            at_budget = val_loss
    print("| PyTorch %s, same architecture | %d | %.0f | %.1f | %.1f |" % (
        torch.__version__, threads, sum(rates) / max(len(rates), 1), val_loss, at_budget))


if __name__ == "__main__":
    main()
