"""Export a PyTorch module's state_dict to JSON for recurrent's nn modules.

    python3 export_state_dict.py                  # writes lstm_state.json from the example model below
    python3 export_state_dict.py --fixture OUT    # writes a test fixture OUT: small nn.LSTM and nn.GRU state
                                                  # dicts with their outputs on a fixed input (see write_fixture)

The repository's fixture packages/layers/test/nn/fixtures/pytorch_export.json is made, from the repository root, by

    /usr/bin/python3 examples/pytorch_export/export_state_dict.py --fixture packages/layers/test/nn/fixtures/pytorch_export.json

The JSON maps each state_dict key to {"shape": [...], "data": [...row-major floats...]}. Load it in JS with

    const dict = nn.loadStateDictJSON(fs.readFileSync('lstm_state.json', 'utf8'));
    const lstm = new nn.LSTM(8, 16, { numLayers: 2, batchFirst: false });   // same sizes and options as in PyTorch
    lstm.loadStateDict(dict);    // names and shapes match PyTorch's (strict by default)

Note: recurrent's nn modules default to batchFirst: true; pass batchFirst: false for PyTorch's default layout.
The reverse direction, nn.stateDictToJSON(module.stateDict()), loads back with
    {k: torch.tensor(v["data"]).reshape(v["shape"]) for k, v in json.load(f).items()}.
"""
import json
import math
import sys

import torch


def state_dict_to_json(module: torch.nn.Module) -> dict:
    return {
        name: {"shape": list(t.shape), "data": t.detach().cpu().double().flatten().tolist()}
        for name, t in module.state_dict().items()
    }


def tensor_to_json(t: torch.Tensor) -> dict:
    return {"shape": list(t.shape), "data": t.detach().cpu().double().flatten().tolist()}


def fixed_input(shape) -> torch.Tensor:
    """A deterministic input (no RNG): sin(0.7 i + 0.3) in row-major order."""
    n = 1
    for d in shape:
        n *= d
    return torch.tensor([math.sin(0.7 * i + 0.3) for i in range(n)], dtype=torch.float32).reshape(shape)


def write_fixture(path: str) -> None:
    """Small modules (seeded), each: its options, its state_dict, input x [seq, batch, in] (PyTorch's default
    batch_first=False), and output / h_n (/ c_n) of module(x) with zero initial states."""
    torch.manual_seed(0)
    modules = {
        "lstm": (torch.nn.LSTM(3, 4, num_layers=2), {"inputSize": 3, "hiddenSize": 4, "numLayers": 2}),
        "gru": (torch.nn.GRU(3, 5, bidirectional=True), {"inputSize": 3, "hiddenSize": 5, "bidirectional": True}),
    }
    cases = {}
    x = fixed_input([6, 2, 3])
    with torch.no_grad():
        for name, (module, options) in modules.items():
            module.eval()
            out, hidden = module(x)
            case = {"options": options, "state_dict": state_dict_to_json(module), "input": tensor_to_json(x),
                    "output": tensor_to_json(out)}
            if isinstance(hidden, tuple):
                case["h_n"], case["c_n"] = tensor_to_json(hidden[0]), tensor_to_json(hidden[1])
            else:
                case["h_n"] = tensor_to_json(hidden)
            cases[name] = case
    with open(path, "w") as f:
        json.dump({"torch_version": torch.__version__, "cases": cases}, f)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--fixture":
        write_fixture(sys.argv[2])
    elif len(sys.argv) == 1:
        torch.manual_seed(0)
        model = torch.nn.LSTM(8, 16, num_layers=2)
        with open("lstm_state.json", "w") as f:
            json.dump(state_dict_to_json(model), f)
    else:
        sys.exit("usage: export_state_dict.py [--fixture OUT.json]")
