import KHSMCore

print("khsm")
