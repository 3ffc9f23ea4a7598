#!/usr/bin/env python3
"""Known values from PyTorch 1.13 for typegrad's parity tests (issue 10).

Run with Debian's python3-torch (apt-get install python3-torch):

    /usr/bin/python3 scripts/torch-fixtures/gen_parity.py

Writes test/torch-fixtures/*.json (committed, so CI needs no Python). Inputs are small fixed
lists; PyTorch computes in float64 and the tests compare typegrad's f32 results to them.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'torch-fixtures')


def lcg(n, seed, scale=1.0):
    """The same numbers as test/backends/helpers.ts lcg (f32-rounded)."""
    out, s = [], seed & 0xFFFFFFFF
    for _ in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out.append(float(torch.tensor((s / 2**31 - 1) * scale, dtype=torch.float32)))
    return out


def t(xs, shape=None, dtype=torch.float64):
    x = torch.tensor(xs, dtype=dtype)
    return x.reshape(shape) if shape is not None else x


def flat(x):
    return [float(v) for v in x.detach().reshape(-1).tolist()]


def grad_of(f, *xs):
    xs = [x.clone().requires_grad_(True) for x in xs]
    y = f(*xs)
    gs = torch.autograd.grad(y.sum(), xs)
    return [flat(g) for g in gs]


def write(name, obj):
    with open(os.path.join(OUT, f'{name}.json'), 'w') as fh:
        json.dump(obj, fh, indent=1)
        fh.write('\n')


def reductions():
    x = lcg(12, 3, 2.0)
    X = t(x, [3, 4])
    cases = {'x': x, 'shape': [3, 4]}
    for corr in (0, 1):
        cases[f'var_all_c{corr}'] = flat(torch.var(X, dim=(0, 1), correction=corr))
        cases[f'var_ax1_c{corr}'] = flat(torch.var(X, dim=1, correction=corr))
        cases[f'std_ax0_c{corr}'] = flat(torch.std(X, dim=0, correction=corr))
        cases[f'std_ax0_c{corr}_grad'] = grad_of(lambda v: torch.std(v, dim=0, correction=corr), X)[0]
    ties = t([1.0, 3.0, 3.0, 0.0, 2.0, 2.0, -1.0, -1.0, 5.0], [3, 3])
    v, i = torch.max(ties, dim=1)
    cases['ties'] = flat(ties)
    cases['max_values'] = flat(v)
    cases['max_indices'] = [int(k) for k in i.tolist()]
    cases['max_grad'] = grad_of(lambda a: torch.max(a, dim=1).values, ties)[0]
    v, i = torch.min(ties, dim=0)
    cases['min_values'] = flat(v)
    cases['min_indices'] = [int(k) for k in i.tolist()]
    cases['min_grad'] = grad_of(lambda a: torch.min(a, dim=0).values, ties)[0]
    write('reductions', cases)


def activations():
    x = [-30.0, -5.0, -2.0, -1.0, -0.5, 0.0, 0.3, 1.0, 2.5, 10.0, 25.0]
    X = t(x)
    out = {'x': x}
    out['silu'] = flat(F.silu(X))
    out['silu_grad'] = grad_of(F.silu, X)[0]
    for a in ('none', 'tanh'):
        out[f'gelu_{a}'] = flat(F.gelu(X, approximate=a))
        out[f'gelu_{a}_grad'] = grad_of(lambda v: F.gelu(v, approximate=a), X)[0]
    for beta, thr in ((1, 20), (2, 5), (0.5, 3)):
        key = f'softplus_b{beta}_t{thr}'
        out[key] = flat(F.softplus(X, beta=beta, threshold=thr))
        out[key + '_grad'] = grad_of(lambda v: F.softplus(v, beta=beta, threshold=thr), X)[0]
    write('activations', out)


def losses():
    n, c = 4, 3
    logits = lcg(n * c, 11, 3.0)
    L = t(logits, [n, c])
    labels = [0, 2, 1, 2]
    Y = torch.tensor(labels)
    w = [0.2, 1.0, 3.0]
    W = t(w)
    out = {'logits': logits, 'n': n, 'c': c, 'labels': labels, 'weight': w, 'ce': {}}
    for red in ('mean', 'sum', 'none'):
        for opts_name, kw in (
            ('plain', {}),
            ('weight', {'weight': W}),
            ('ignore', {'ignore_index': 2}),
            ('weight_ignore', {'weight': W, 'ignore_index': 2}),
            ('smooth', {'label_smoothing': 0.2}),
            ('weight_ignore_smooth', {'weight': W, 'ignore_index': 2, 'label_smoothing': 0.2}),
        ):
            key = f'{opts_name}_{red}'
            f = lambda v: F.cross_entropy(v, Y, reduction=red, **kw)
            out['ce'][key] = {'value': flat(f(L)), 'grad': grad_of(f, L)[0]}
    # soft targets
    probs = torch.softmax(t(lcg(n * c, 5, 2.0), [n, c]), dim=1)
    out['probs'] = flat(probs)
    for red in ('mean', 'sum', 'none'):
        for opts_name, kw in (('plain', {}), ('weight_smooth', {'weight': W, 'label_smoothing': 0.1})):
            f = lambda v: F.cross_entropy(v, probs, reduction=red, **kw)
            out['ce'][f'soft_{opts_name}_{red}'] = {'value': flat(f(L)), 'grad': grad_of(f, L)[0]}
    # [N, C, d] logits with [N, d] labels
    L3 = t(lcg(2 * 3 * 2, 8, 2.0), [2, 3, 2])
    Y3 = torch.tensor([[0, 2], [1, 1]])
    out['spatial'] = {
        'logits': flat(L3),
        'labels': [0, 2, 1, 1],
        'mean': flat(F.cross_entropy(L3, Y3, weight=W, ignore_index=1)),
        'none': flat(F.cross_entropy(L3, Y3, reduction='none')),
        'grad': grad_of(lambda v: F.cross_entropy(v, Y3, weight=W, ignore_index=1), L3)[0],
    }
    logp = torch.log_softmax(L, dim=1)
    out['nll'] = {}
    for red in ('mean', 'sum', 'none'):
        f = lambda v: F.nll_loss(v, Y, weight=W, ignore_index=0, reduction=red)
        out['nll'][red] = {'value': flat(f(logp)), 'grad': grad_of(f, logp)[0]}
    pred = lcg(8, 21, 2.0)
    targ = lcg(8, 22, 2.0)
    P, T = t(pred, [2, 4]), t(targ, [2, 4])
    out['pred'], out['target'] = pred, targ
    reg = {}
    for red in ('mean', 'sum', 'none'):
        for name, f in (
            ('mse', lambda a: F.mse_loss(a, T, reduction=red)),
            ('l1', lambda a: F.l1_loss(a, T, reduction=red)),
            ('smoothL1_b1', lambda a: F.smooth_l1_loss(a, T, reduction=red, beta=1.0)),
            ('smoothL1_b0.5', lambda a: F.smooth_l1_loss(a, T, reduction=red, beta=0.5)),
            ('huber_d1', lambda a: F.huber_loss(a, T, reduction=red, delta=1.0)),
            ('huber_d0.5', lambda a: F.huber_loss(a, T, reduction=red, delta=0.5)),
        ):
            reg[f'{name}_{red}'] = {'value': flat(f(P)), 'grad': grad_of(f, P)[0]}
    out['regression'] = reg
    bx = [-100.0, -3.0, -0.5, 0.0, 0.7, 2.0, 5.0, 100.0]
    bt = [0.0, 1.0, 0.3, 1.0, 0.0, 0.5, 1.0, 0.0]
    bw = [1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0, 0.5]
    pw = [2.0, 0.5, 1.0, 4.0]
    BX, BT, BW, PW = t(bx, [2, 4]), t(bt, [2, 4]), t(bw, [2, 4]), t(pw)
    out['bce'] = {'x': bx, 't': bt, 'w': bw, 'posWeight': pw}
    for red in ('mean', 'sum', 'none'):
        f = lambda v: F.binary_cross_entropy_with_logits(v, BT, weight=BW, pos_weight=PW, reduction=red)
        out['bce'][f'logits_{red}'] = {'value': flat(f(BX)), 'grad': grad_of(f, BX)[0]}
    f = lambda v: F.binary_cross_entropy_with_logits(v, BT)
    out['bce']['logits_plain'] = {'value': flat(f(BX)), 'grad': grad_of(f, BX)[0]}
    probs_b = [0.0, 0.1, 0.5, 0.9, 1.0, 0.3, 1e-50, 0.999]
    PB = t(probs_b, [2, 4])
    out['bce']['p'] = probs_b
    for red in ('mean', 'sum', 'none'):
        f = lambda v: F.binary_cross_entropy(v, BT, weight=BW, reduction=red)
        out['bce'][f'probs_{red}'] = {'value': flat(f(PB))}
    # gradient away from the clamp (p in (0, 1))
    PB2 = t([0.2, 0.1, 0.5, 0.9, 0.6, 0.3, 0.05, 0.7], [2, 4])
    out['bce']['p2'] = flat(PB2)
    f = lambda v: F.binary_cross_entropy(v, BT, weight=BW)
    out['bce']['probs2_mean'] = {'value': flat(f(PB2)), 'grad': grad_of(f, PB2)[0]}
    write('losses', out)


def norms():
    out = {}
    x = lcg(2 * 3 * 2 * 2, 31, 2.0)
    X = t(x, [2, 3, 2, 2])
    gamma, beta = [1.0, 0.5, 2.0], [0.0, -1.0, 0.25]
    rm, rv = [0.1, -0.2, 0.3], [1.0, 2.0, 0.5]
    out['x'], out['gamma'], out['beta'], out['runningMean'], out['runningVar'] = x, gamma, beta, rm, rv
    RM, RV = t(rm), t(rv)
    y = F.batch_norm(X, RM, RV, t(gamma), t(beta), training=True, momentum=0.1, eps=1e-5)
    out['bn2d_train'] = {'y': flat(y), 'runningMean': flat(RM), 'runningVar': flat(RV)}
    out['bn2d_train']['grad_x'] = grad_of(
        lambda v: (F.batch_norm(v, None, None, t(gamma), t(beta), training=True) * t(lcg(24, 9), [2, 3, 2, 2])), X
    )[0]
    out['bn2d_train']['upstream'] = lcg(24, 9)
    y = F.batch_norm(X, t(rm), t(rv), t(gamma), t(beta), training=False, eps=1e-5)
    out['bn2d_eval'] = {'y': flat(y)}
    x1 = lcg(4 * 3, 32, 2.0)
    X1 = t(x1, [4, 3])
    RM, RV = t(rm), t(rv)
    y = F.batch_norm(X1, RM, RV, t(gamma), t(beta), training=True, momentum=0.3, eps=1e-3)
    out['x1'] = x1
    out['bn1d_train_m0.3_eps1e-3'] = {'y': flat(y), 'runningMean': flat(RM), 'runningVar': flat(RV)}
    xg = lcg(2 * 4 * 3, 33, 2.0)
    XG = t(xg, [2, 4, 3])
    gg, gb = [1.0, 2.0, 0.5, -1.0], [0.0, 0.1, 0.2, 0.3]
    out['groupNorm'] = {'x': xg, 'gamma': gg, 'beta': gb}
    f = lambda v: F.group_norm(v, 2, t(gg), t(gb), eps=1e-5) * t(lcg(24, 4), [2, 4, 3])
    out['groupNorm']['y'] = flat(F.group_norm(XG, 2, t(gg), t(gb), eps=1e-5))
    out['groupNorm']['upstream'] = lcg(24, 4)
    out['groupNorm']['grad_x'] = grad_of(f, XG)[0]
    xl = lcg(2 * 3 * 4, 34, 2.0)
    XL = t(xl, [2, 3, 4])
    lg, lb = lcg(12, 35), lcg(12, 36)
    out['layerNorm'] = {'x': xl, 'gamma': lg, 'beta': lb}
    out['layerNorm']['affine'] = flat(F.layer_norm(XL, [3, 4], t(lg, [3, 4]), t(lb, [3, 4])))
    out['layerNorm']['plain'] = flat(F.layer_norm(XL, [3, 4]))
    write('norms', out)


def optimizers():
    p0 = [0.5, -1.0, 2.0]
    grads = [[0.1, -0.2, 0.3], [0.4, 0.1, -0.5], [-0.3, 0.2, 0.05], [0.0, -0.1, 0.2]]
    out = {'params': p0, 'grads': grads, 'runs': {}}

    def run(name, make):
        p = t(p0).clone().requires_grad_(True)
        opt = make([p])
        traj = []
        for g in grads:
            opt.zero_grad()
            p.grad = t(g)
            opt.step()
            traj.append(flat(p))
        out['runs'][name] = traj

    run('sgd', lambda ps: torch.optim.SGD(ps, lr=0.1))
    run('sgd_wd', lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=0.1))
    run('sgd_mom', lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9))
    run('sgd_mom_damp', lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.01))
    run('sgd_nesterov', lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.8, nesterov=True, weight_decay=0.05))
    run('adam', lambda ps: torch.optim.Adam(ps, lr=0.1))
    run('adam_wd', lambda ps: torch.optim.Adam(ps, lr=0.1, weight_decay=0.1))
    run('adam_amsgrad', lambda ps: torch.optim.Adam(ps, lr=0.1, amsgrad=True, betas=(0.8, 0.9)))
    run('adamw', lambda ps: torch.optim.AdamW(ps, lr=0.1))
    run('adamw_amsgrad', lambda ps: torch.optim.AdamW(ps, lr=0.1, amsgrad=True, weight_decay=0.1))
    run('rmsprop', lambda ps: torch.optim.RMSprop(ps, lr=0.01))
    run('rmsprop_centered', lambda ps: torch.optim.RMSprop(ps, lr=0.01, centered=True))
    run('rmsprop_all', lambda ps: torch.optim.RMSprop(ps, lr=0.01, centered=True, momentum=0.9, weight_decay=0.1, alpha=0.9))
    run('rmsprop_mom', lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.5))
    write('optimizers', out)


def recurrent():
    f, h, b, steps = 3, 2, 2, 3
    torch.manual_seed(0)
    gru = torch.nn.GRU(f, h)
    rnn_relu = torch.nn.RNN(f, h, nonlinearity='relu')
    xs = t(lcg(steps * b * f, 41, 1.0), [steps, b, f])
    h0 = t(lcg(b * h, 42, 0.5), [1, b, h])
    out = {'f': f, 'h': h, 'b': b, 't': steps, 'xs': flat(xs), 'h0': flat(h0)}
    for name, m in (('gru', gru), ('rnn_relu', rnn_relu)):
        m = m.double()
        ys, hn = m(xs, h0)
        out[name] = {
            'weight_ih': flat(m.weight_ih_l0),
            'weight_hh': flat(m.weight_hh_l0),
            'bias_ih': flat(m.bias_ih_l0),
            'bias_hh': flat(m.bias_hh_l0),
            'ys': flat(ys),
            'hn': flat(hn),
        }
    write('recurrent', out)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    reductions()
    activations()
    losses()
    norms()
    optimizers()
    recurrent()
    print('wrote', sorted(os.listdir(OUT)))
