"""The optimizer both demo-model training scripts use."""

from __future__ import annotations

import torch


def adamw_with_decay(model: torch.nn.Module, lr: float, embedding_marker: str) -> torch.optim.AdamW:
    """AdamW with weight decay 0.05 on matrices, none on biases, norms and embeddings.

    A parameter counts as an embedding when ``embedding_marker`` is in its name (open_clip says
    "embedding", transformers "embeddings").
    """
    decay: list[torch.nn.Parameter] = []
    no_decay: list[torch.nn.Parameter] = []
    for name, param in model.named_parameters():
        wanted = param.ndim >= 2 and embedding_marker not in name
        (decay if wanted else no_decay).append(param)
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr,
                             betas=(0.9, 0.98), eps=1e-6)
