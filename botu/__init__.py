"""botu — reproducible research notebooks for *BoTu: veerkracht samen organiseren*.

Loading, validation and coding logic for coded qualitative material on the teams of
Rotterdam's programme Veerkrachtig BoTu 2028. Notebooks call into this package; every
computation lives here and is tested.
"""

from botu.errors import BotuError, InputError, Problem

__version__ = "0.1.0"

__all__ = ["BotuError", "InputError", "Problem", "__version__"]
