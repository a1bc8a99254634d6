#!/usr/bin/env bash
# Training benchmark: images/s and validation loss (negative ELBO per image) on the same data and batches,
# side by side: stage train on Spark local[1] and local[2], plain ComputationGraph.fit in one JVM, the same
# architecture in PyTorch on CPU (Debian's python3-torch, if installed). First for the simple bench model
# (unconditional, Bernoulli, Adam 0.001; twin bench/peer/vae.py), then for the default model of
# conf/application.conf (twin bench/peer/vae_default.py), then the decoder/convolution variants of the simple
# model. Prints Markdown tables on stdout; logs on stderr.
#   bench/train.sh [EPOCHS] [BUDGET_SECONDS]        (defaults 6 and 30; data: 300 images per class)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/training-data.sh"
epochs=${1:-6}
budget=${2:-30}
echo "simple bench model (unconditional, Bernoulli, neither discriminator nor boundary head; Adam 0.001):"
echo
echo "| run | threads per worker | training images/s | validation loss after $epochs epochs | validation loss after ${budget} s |"
echo "|---|---|---|---|---|"
training_benchmark "$cores" --mode spark --master 'local[1]' --out "$work/out-local1"
training_benchmark "$worker_threads" --mode spark --master "local[$cores]" --out "$work/out-local$cores"
training_benchmark "$cores" --mode plain --out "$work/out-local$cores"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  training_benchmark "$cores" --mode export-raw --out "$work/out-local$cores"
  /usr/bin/python3 bench/peer/vae.py "$work/out-local$cores" "$epochs" "$budget" 1
  /usr/bin/python3 bench/peer/vae.py "$work/out-local$cores" "$epochs" "$budget" "$cores"
else
  echo "| PyTorch: not installed (apt install python3-torch) | | | | |"
fi
echo
# The model users train, like for like: its optimiser too (Adam 0.003, x0.95 per epoch), in both.
echo "default model (conditional, categorical, boundary head, adversarial):"
echo
echo "| run | threads per worker | training images/s | validation loss after $epochs epochs | validation loss after ${budget} s |"
echo "|---|---|---|---|---|"
training_benchmark "$cores" --model default --mode spark --master 'local[1]' --out "$work/default-out-local1"
training_benchmark "$worker_threads" --model default --mode spark --master "local[$cores]" \
  --out "$work/default-out-local$cores"
training_benchmark "$cores" --model default --mode plain --out "$work/default-out-local$cores"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  training_benchmark "$cores" --model default --mode export-raw --out "$work/default-out-local$cores"
  /usr/bin/python3 bench/peer/vae_default.py "$work/default-out-local$cores" "$epochs" "$budget" 1
  /usr/bin/python3 bench/peer/vae_default.py "$work/default-out-local$cores" "$epochs" "$budget" "$cores"
else
  echo "| PyTorch: not installed (apt install python3-torch) | | | | |"
fi
echo
echo "| decoder design | threads | parameters | training images/s | steps in ${budget} s | validation loss after ${budget} s |"
echo "|---|---|---|---|---|---|"
training_benchmark "$cores" --mode decoders --out "$work/out-local$cores"
echo "($(java -version 2>&1 | head -1), $cores cores)"
