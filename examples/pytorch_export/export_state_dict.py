"""Export a PyTorch module's state_dict to JSON for recurrent's nn modules.

    python export_state_dict.py            # writes lstm_state.json from the example model below

The JSON maps each state_dict key to {"shape": [...], "data": [...row-major floats...]}. Load it in JS with

    const dict = nn.loadStateDictJSON(fs.readFileSync('lstm_state.json', 'utf8'));
    const lstm = new nn.LSTM(8, 16, { numLayers: 2, batchFirst: false });   // same sizes and options as in PyTorch
    lstm.loadStateDict(dict);    // names and shapes match PyTorch's (strict by default)

Note: recurrent's nn modules default to batchFirst: true; pass batchFirst: false for PyTorch's default layout.
The reverse direction, nn.stateDictToJSON(module.stateDict()), loads back with
    {k: torch.tensor(v["data"]).reshape(v["shape"]) for k, v in json.load(f).items()}.
"""
import json

import torch


def state_dict_to_json(module: torch.nn.Module) -> dict:
    return {
        name: {"shape": list(t.shape), "data": t.detach().cpu().double().flatten().tolist()}
        for name, t in module.state_dict().items()
    }


if __name__ == "__main__":
    torch.manual_seed(0)
    model = torch.nn.LSTM(8, 16, num_layers=2)
    with open("lstm_state.json", "w") as f:
        json.dump(state_dict_to_json(model), f)
