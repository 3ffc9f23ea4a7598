#!/usr/bin/python3
"""Writes and checks the PyTorch fixtures of src/io/torch.test.ts with Debian's python3-torch
(`apt-get install python3-torch`; run with /usr/bin/python3). No `safetensors` Python package
is needed: the format (an 8-byte header length, a JSON header, raw little-endian data) is
written and read here directly.

  /usr/bin/python3 scripts/torch-fixtures.py write   # test/fixtures/torch/{model,io}.safetensors
  /usr/bin/python3 scripts/torch-fixtures.py check   # loads test/fixtures/torch/from-typegrad.safetensors
                                                     # (written by the test) into torch and compares
"""
import json
import struct
import sys
from pathlib import Path

import torch
from torch import nn

DIR = Path(__file__).resolve().parent.parent / 'test' / 'fixtures' / 'torch'
NAMES = {torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int64: 'I64'}
DTYPES = {v: k for k, v in NAMES.items()}


def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b' ' * (-len(text) % 8)
    path.write_bytes(struct.pack('<Q', len(text)) + text + b''.join(blobs))


def load(path):
    data = path.read_bytes()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        begin, end = info['data_offsets']
        buf = bytearray(data[base + begin:base + end])
        out[name] = torch.frombuffer(buf, dtype=DTYPES[info['dtype']]).reshape(info['shape'])
    return out


class Model(nn.Module):
    """One of each layer kind that io.fromTorchStateDict maps, plus a BatchNorm it must report."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.conv = nn.Conv2d(1, 2, 3)
        self.emb = nn.Embedding(5, 3)
        self.ln = nn.LayerNorm(3)
        self.rnn = nn.RNN(3, 2)
        self.lstm = nn.LSTM(3, 2)
        self.bn = nn.BatchNorm1d(2)


def outputs(m, x, img, ids, seq):
    return {
        'fc': m.fc(x), 'conv': m.conv(img), 'emb': m.emb(ids), 'ln': m.ln(x),
        'rnn': m.rnn(seq)[0], 'lstm': m.lstm(seq)[0],
    }


def write():
    torch.manual_seed(0)
    m = Model()
    for p in [m.ln.weight, m.ln.bias]:  # not the 1/0 defaults, so a swap would show
        p.data.uniform_(-1, 1)
    m.bn.num_batches_tracked.fill_(7)
    half, bhalf = nn.Linear(3, 2).half(), nn.Linear(3, 2).to(torch.bfloat16)
    state = dict(m.state_dict())
    state.update({f'half.{k}': v for k, v in half.state_dict().items()})
    state.update({f'bhalf.{k}': v for k, v in bhalf.state_dict().items()})
    x, img = torch.randn(4, 3), torch.randn(1, 1, 5, 5)
    ids, seq = torch.tensor([0, 4, 2]), torch.randn(4, 1, 3)
    with torch.no_grad():
        out = {f'out.{k}': v for k, v in outputs(m, x, img, ids, seq).items()}
        out['out.half'] = x @ half.weight.float().T + half.bias.float()
        out['out.bhalf'] = x @ bhalf.weight.float().T + bhalf.bias.float()
    save(DIR / 'model.safetensors', state)
    save(DIR / 'io.safetensors', {'in.x': x, 'in.img': img, 'in.ids': ids, 'in.seq': seq, **out})
    print(f'wrote {len(state)} state-dict tensors and {len(out)} outputs to {DIR}')


def check():
    """The typegrad → PyTorch direction: the state dict the test wrote loads into torch (strict)
    and gives the outputs typegrad computed, stored beside it."""
    got = load(DIR / 'from-typegrad.safetensors')
    expected = load(DIR / 'from-typegrad-outputs.safetensors')
    io = load(DIR / 'io.safetensors')
    m = Model()
    del m.bn
    m.load_state_dict(got, strict=True)
    with torch.no_grad():
        out = outputs(m, io['in.x'], io['in.img'], io['in.ids'], io['in.seq'])
    for k, v in out.items():
        err = (v - expected[f'out.{k}']).abs().max().item()
        assert err < 1e-5, f'{k}: max abs difference {err}'
        print(f'{k}: torch matches typegrad (max abs difference {err:.2e})')


if __name__ == '__main__':
    {'write': write, 'check': check}[sys.argv[1] if len(sys.argv) > 1 else 'write']()
