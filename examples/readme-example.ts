import { grad, matmul, random, relu, type Tensor } from 'typegrad';

const key = random.key(0);
const w1: Tensor<[784, 512]> = random.normal(key, [784, 512]);
const w2: Tensor<[400, 10]> = random.normal(key, [400, 10]);

function mlp<B extends number>(x: Tensor<[B, 784]>) {
  const h = relu(matmul(x, w1)); // Tensor<[B, 512], 'f32'>
  return matmul(h, w2); // error: the hidden layer is 512 wide, w2 expects 400
}
void grad;
void mlp;
