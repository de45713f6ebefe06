from .test_module import suite

__all__ = ['suite']
